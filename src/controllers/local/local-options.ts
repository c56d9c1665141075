// Options of the local controller, validated and normalised once at construction.
import { z } from 'zod';
import { type Clock, systemClock } from '../../util/clock.js';
import { defaultLogger, type Logger } from '../../util/logger.js';
import { optionTypes, parseControllerOptions } from '../controller-options.js';
import { defaultStateDir } from './process-registry.js';

/** Options of the local controller. */
export interface LocalControllerOptions {
  /** Where the process-group registry and server logs live. @default `<os.tmpdir()>/inference-autotuner-<uid>` */
  stateDir?: string;
  /** Address engines listen on. @default '127.0.0.1' */
  host?: string;
  /** Time between SIGTERM and SIGKILL when stopping. @default 10_000 */
  stopGraceMs?: number;
  /** Log lines kept in memory per server. @default 1_000 */
  logCapacityLines?: number;
  /** Launch attempts when the chosen port turns out to be taken. @default 4 */
  portAttempts?: number;
  /** First delay between readiness probes. @default 50 */
  readinessInitialIntervalMs?: number;
  /** Cap of the delay between readiness probes. @default 500 */
  readinessMaxIntervalMs?: number;
  /** Chooses the port of each launch attempt. @default a free port from the OS (`freePortCandidate`) */
  pickPort?: () => Promise<number>;
  /** Probe readiness at once whenever the server prints a line (engines log when they turn ready). @default true */
  wakeOnLogLine?: boolean;
  /** Environment inherited by engines (PATH, proxies, HF token). @default process.env */
  hostEnv?: NodeJS.ProcessEnv;
  /** @default the library's logger */
  logger?: Logger;
  /** Time source of start-up timings, readiness budgets and stop grace periods. @default systemClock */
  clock?: Clock;
}

/** Local controller options after validation, with defaults applied. */
export interface ResolvedLocalOptions {
  stateDir: string;
  host: string;
  stopGraceMs: number;
  logCapacityLines: number;
  portAttempts: number;
  readinessInitialIntervalMs: number;
  readinessMaxIntervalMs: number;
  pickPort: (() => Promise<number>) | undefined;
  wakeOnLogLine: boolean;
  hostEnv: NodeJS.ProcessEnv | undefined;
  logger: Logger;
  clock: Clock;
}

const localOptionsSchema = z.strictObject({
  stateDir: optionTypes.text.optional(),
  host: optionTypes.text.default('127.0.0.1'),
  stopGraceMs: optionTypes.nonNegativeMs.default(10_000),
  logCapacityLines: optionTypes.count.default(1_000),
  portAttempts: optionTypes.count.default(4),
  readinessInitialIntervalMs: optionTypes.positiveMs.default(50),
  readinessMaxIntervalMs: optionTypes.positiveMs.default(500),
  pickPort: optionTypes.fn.optional(),
  wakeOnLogLine: z.boolean().default(true),
  hostEnv: z.record(z.string(), z.string().optional()).optional(),
  logger: optionTypes.object.optional(),
  clock: optionTypes.clock.optional(),
});

/** Validates local controller options (every problem at once, naming each option and value) and fills in defaults. */
export function resolveLocalOptions(options: LocalControllerOptions): ResolvedLocalOptions {
  const parsed = parseControllerOptions('local controller', localOptionsSchema, options);
  return {
    ...parsed,
    stateDir: parsed.stateDir ?? defaultStateDir(),
    readinessMaxIntervalMs: Math.max(parsed.readinessInitialIntervalMs, parsed.readinessMaxIntervalMs),
    pickPort: options.pickPort,
    hostEnv: options.hostEnv,
    logger: options.logger ?? defaultLogger(),
    clock: options.clock ?? systemClock,
  };
}
