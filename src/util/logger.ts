// The one logger of the library (pino); every line passes through secret redaction.
import { type Logger, pino } from 'pino';
import { redactText, redactValue } from './redact.js';

export type { Logger } from 'pino';

/** The part of a pino logger the library writes to: any pino-compatible logger fits. */
export type LogSink = Pick<Logger, 'debug' | 'info' | 'warn'>;

/** Creates a logger whose messages and bound fields are redacted; level from AUTOTUNE_LOG_LEVEL. */
export function createLogger(
  options: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  const level = options.level ?? process.env['AUTOTUNE_LOG_LEVEL'] ?? 'warn';
  const config = {
    level,
    name: options.name ?? 'autotune',
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? redactText(arg) : redactValue(arg))),
        );
      },
    },
    formatters: {
      bindings: (bindings: Record<string, unknown>) => redactValue(bindings),
    },
  };
  return options.destination
    ? pino(config, options.destination as unknown as pino.DestinationStream)
    : pino(config, pino.destination(2));
}

let shared: Logger | undefined;

/** The library-wide default logger (stderr, level `warn` unless AUTOTUNE_LOG_LEVEL says otherwise). */
export function defaultLogger(): Logger {
  shared ??= createLogger();
  return shared;
}
