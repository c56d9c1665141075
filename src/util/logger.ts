// The one logger of the library (pino); every line passes through secret redaction.
import { type Logger, pino } from 'pino';
import { humanLogDestination } from './human-log.js';
import { redactText, redactValue } from './redact.js';

export type { Logger } from 'pino';

/** The part of a pino logger the library writes to: any pino-compatible logger fits. */
export type LogSink = Pick<Logger, 'debug' | 'info' | 'warn'>;

/** Options of createLogger. */
export interface CreateLoggerOptions {
  /** pino level name, or `silent`. @default process.env.AUTOTUNE_LOG_LEVEL ?? 'warn' */
  level?: string;
  /** @default 'autotune' */
  name?: string;
  /** Where lines go. @default stderr */
  destination?: NodeJS.WritableStream;
  /** `json`: pino's JSON lines (for log collectors); `human`: `autotune: warning: ...` lines. @default 'json' */
  format?: 'json' | 'human';
}

/** Creates a logger whose messages and bound fields are redacted; level from AUTOTUNE_LOG_LEVEL. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
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
  if (options.format === 'human')
    return pino(config, humanLogDestination(options.destination ?? process.stderr));
  return options.destination
    ? pino(config, options.destination as unknown as pino.DestinationStream)
    : pino(config, pino.destination(2));
}

let shared: Logger | undefined;

/**
 * The level of the default logger: AUTOTUNE_LOG_LEVEL when set; else `info` when stderr is a terminal (a person
 * watching sees one line per finished trial), `warn` otherwise (pipes, CI, logs: failures only).
 */
export function defaultLogLevel(
  env: NodeJS.ProcessEnv = process.env,
  stderrIsTty: boolean = process.stderr.isTTY === true,
): string {
  return env['AUTOTUNE_LOG_LEVEL'] ?? (stderrIsTty ? 'info' : 'warn');
}

/**
 * The library-wide default logger, used when the caller passes none: human-readable lines on stderr
 * (`autotune: warning: ...`, never raw JSON) at `defaultLogLevel()`.
 */
export function defaultLogger(): Logger {
  shared ??= createLogger({ format: 'human', level: defaultLogLevel() });
  return shared;
}
