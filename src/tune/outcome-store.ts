// What earlier studies learnt of an engine, model and GPU, kept across studies: the launch lines that failed to
// start (out of memory, a flag the engine refused) and the figures of those that ran. One JSON-lines file per
// engine, engine version, model and GPU under the user's cache directory; appends are single writes of one
// line, so concurrent studies add to the same file safely. A file that is not ours, or from another key, is
// ignored with a warning; an unreadable line is skipped with a warning; neither stops a study.
import { createHash } from 'node:crypto';
import { appendFile, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import type { RunMetrics } from '../slo/types.js';
import type { Logger } from '../util/logger.js';
import type { FailureReason } from './trial-record.js';

/** What one store file is about. */
export interface OutcomeStoreKey {
  /** Runtime name, e.g. `vllm`. */
  engine: string;
  /** Version of the engine the parameters were validated for. */
  engineVersion: string;
  model: string;
  /** GPU model, e.g. `l4`, or `cpu`. */
  gpu: string;
}

/** One remembered outcome of a launch line. */
export type StoredOutcome =
  | {
      kind: 'start-failed';
      /** The engine's arguments, without command, host and port. */
      args: string[];
      reason: FailureReason;
      message: string;
      study: string;
      at: string;
    }
  | { kind: 'measured'; args: string[]; metrics: RunMetrics; study: string; at: string };

/** Start-up failures an engine gives again for the same launch line on the same GPU. */
export const DETERMINISTIC_START_FAILURES: ReadonlySet<FailureReason> = new Set<FailureReason>([
  'oom',
  'bad-flag',
]);

const FORMAT = 'inference-autotuner/outcomes';
const VERSION = 1;

/** The default store folder: `$XDG_CACHE_HOME/inference-autotuner/outcomes`, else under `~/.cache`. */
export function defaultOutcomeStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(cache, 'inference-autotuner', 'outcomes');
}

/** The file of a key: a readable prefix and a hash of the whole key. */
export function outcomeStoreFile(dir: string, key: OutcomeStoreKey): string {
  const readable = [key.engine, key.engineVersion, key.model, key.gpu]
    .join('--')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 120);
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 12);
  return path.join(dir, `${readable}--${hash}.jsonl`);
}

const argsKey = (args: readonly string[]): string => JSON.stringify(args);

function isStoredOutcome(value: unknown): value is StoredOutcome {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const args = Array.isArray(v['args']) && v['args'].every((a) => typeof a === 'string');
  if (!args || typeof v['study'] !== 'string' || typeof v['at'] !== 'string') return false;
  if (v['kind'] === 'start-failed')
    return typeof v['reason'] === 'string' && typeof v['message'] === 'string';
  return v['kind'] === 'measured' && v['metrics'] !== null && typeof v['metrics'] === 'object';
}

/** A store file opened for one study. */
export interface OutcomeStore {
  readonly file: string;
  /** Remembered outcomes read when the store was opened. */
  readonly outcomes: readonly StoredOutcome[];
  /** The remembered start-up failure of a launch line, if any. */
  startFailure(args: readonly string[]): Extract<StoredOutcome, { kind: 'start-failed' }> | undefined;
  /** Adds an outcome (one line, one write); a write that fails is warned about once and ignored. */
  add(outcome: StoredOutcome): Promise<void>;
}

// Creates the file with its header line in one step (a temporary file linked into place): a concurrent study
// never sees a file without its header.
async function createWithHeader(file: string, header: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, header, { flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Opens (creating when missing) the store file of `key` under `dir`. Never throws for the file's contents: a
 * foreign or corrupted file is ignored with one warning, and the study goes on without what it held.
 */
export async function openOutcomeStore(
  dir: string,
  key: OutcomeStoreKey,
  logger?: Logger,
): Promise<OutcomeStore> {
  const file = outcomeStoreFile(dir, key);
  const header = `${JSON.stringify({ format: FORMAT, version: VERSION, key })}\n`;
  const outcomes: StoredOutcome[] = [];
  let writable = true;
  let warnedWrite = false;
  try {
    await mkdir(dir, { recursive: true });
    await createWithHeader(file, header);
    const lines = (await readFile(file, 'utf8')).split('\n');
    let first: unknown;
    try {
      first = JSON.parse(lines[0] ?? '');
    } catch {
      first = undefined;
    }
    const head = first as { format?: unknown; version?: unknown; key?: unknown } | undefined;
    if (
      head?.format !== FORMAT ||
      head.version !== VERSION ||
      JSON.stringify(head.key) !== JSON.stringify(key)
    ) {
      logger?.warn(
        { file },
        `outcome store ${file} is not a store of ${key.engine} ${key.engineVersion}, ${key.model} on ${key.gpu}: ignored, and left as it is`,
      );
      writable = false;
    } else {
      let bad = 0;
      for (const line of lines.slice(1)) {
        if (line.trim() === '') continue;
        try {
          const value: unknown = JSON.parse(line);
          if (isStoredOutcome(value)) outcomes.push(value);
          else bad++;
        } catch {
          bad++;
        }
      }
      if (bad > 0)
        logger?.warn({ file, lines: bad }, `outcome store ${file}: ${bad} unreadable line(s) skipped`);
    }
  } catch (error) {
    logger?.warn(
      { file, err: errorMessage(error) },
      `outcome store ${file} cannot be used: ${errorMessage(error)}`,
    );
    writable = false;
  }
  const failures = new Map<string, Extract<StoredOutcome, { kind: 'start-failed' }>>();
  for (const outcome of outcomes)
    if (outcome.kind === 'start-failed') failures.set(argsKey(outcome.args), outcome);
  return {
    file,
    outcomes,
    startFailure: (args) => failures.get(argsKey(args)),
    async add(outcome) {
      if (!writable) return;
      try {
        await appendFile(file, `${JSON.stringify(outcome)}\n`);
        if (outcome.kind === 'start-failed') failures.set(argsKey(outcome.args), outcome);
      } catch (error) {
        if (!warnedWrite)
          logger?.warn(
            { file, err: errorMessage(error) },
            `outcome store ${file}: cannot write: ${errorMessage(error)}`,
          );
        warnedWrite = true;
      }
    },
  };
}
