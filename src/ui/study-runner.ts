// Studies the dashboard runs in its own process: submitted study files, each journaled in the folder's
// `.autotune/`, several at once (studies on the same GPUs share one GPU pool; other processes' studies are kept off
// them by the host's GPU leases), stopped (resumable) and resumed.
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { AutotunerError, errorMessage, InvalidOptionError } from '../errors.js';
import { checkStudy } from '../tune/check-study.js';
import { readJournal } from '../tune/journal/read-journal.js';
import { parseOptionsSchema } from '../tune/parse-options.js';
import { SharedGpuPools } from '../tune/shared-gpu-pools.js';
import { study } from '../tune/study.js';
import { studyIdentity } from '../tune/study-identity.js';
import type { Logger } from '../util/logger.js';

// A journal another process wrote this recently may belong to a study still running there: journals have no lock,
// and two writers would interleave their trials.
const QUIET_BEFORE_RESUME_MS = 60_000;

interface Run {
  stop: AbortController;
  done: Promise<void>;
}

/** A trial of a study run here that has its GPUs and has not finished yet. */
export interface LiveTrial {
  number: number;
  phase: string;
  params: Record<string, unknown>;
  gpus: number[];
  /** ISO time it got its GPUs (its trial-started event). */
  since: string;
  /** Once its server answered (trial-ready). */
  ready: boolean;
}

/** What happened to a study this process ran, once it ended. */
export interface RunEnding {
  /** `finished`, `stopped` (resumable), or `failed` with the error's message. */
  outcome: 'finished' | 'stopped' | 'failed';
  message?: string | undefined;
}

/** Parses a study file's text (YAML or JSON) into options; InvalidOptionError names the problem. */
export function parseStudyText(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidOptionError('study file', text, 'the text of a YAML or JSON study file');
  }
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true });
  } catch (error) {
    const first = errorMessage(error).split('\n')[0];
    throw new InvalidOptionError('study file', '(submitted text)', `valid YAML or JSON (${first})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      'study file',
      '(submitted text)',
      'a mapping of study options at the top level',
    );
  }
  return value as Record<string, unknown>;
}

/** Runs studies for the dashboard; every journal goes to `<folder>/.autotune/<study id>.jsonl`. */
export class StudyRunner {
  readonly #folder: string;
  readonly #logger: Logger | undefined;
  readonly #runs = new Map<string, Run>();
  readonly #endings = new Map<string, RunEnding>();
  readonly #live = new Map<string, Map<number, LiveTrial>>();
  // Every study run here takes its GPUs from one pool per set of GPUs.
  readonly #gpuPools = new SharedGpuPools();

  constructor(folder: string, options: { logger?: Logger | undefined } = {}) {
    this.#folder = folder;
    this.#logger = options.logger;
  }

  /** Whether the study of this journal runs in this process. */
  isRunning(id: string): boolean {
    return this.#runs.has(id);
  }

  /** The trials of this journal's study running now (none unless it runs in this process), by number. */
  liveTrials(id: string): LiveTrial[] {
    return [...(this.#live.get(id)?.values() ?? [])].sort((a, b) => a.number - b.number);
  }

  /** How the last run of this journal in this process ended (undefined while it runs, or never ran here). */
  ending(id: string): RunEnding | undefined {
    return this.#endings.get(id);
  }

  /**
   * Checks a study file as `autotune run` does (every problem at once: OptionsError) and starts it. Its journal is
   * `.autotune/<study id>.jsonl` of the folder whatever the file says; an existing one is refused (resume it).
   */
  async submit(text: unknown): Promise<string> {
    const options = parseStudyText(text);
    const { studyId } = studyIdentity(parseOptionsSchema({ ...options, journal: undefined }));
    const id = `.autotune/${studyId}.jsonl`;
    const journal = path.join(this.#folder, id);
    if (
      this.#runs.has(id) ||
      (await access(journal).then(
        () => true,
        () => false,
      ))
    ) {
      throw new InvalidOptionError(
        'name',
        studyId,
        'a study not in the folder yet (resume the existing one)',
      );
    }
    await this.#start(id, { ...options, journal }, false);
    return id;
  }

  /**
   * Resumes an unfinished study of the folder with the options of its journal (secrets from the environment). A
   * journal this process did not run is resumed only once nothing wrote it for a minute (another process may be
   * running the study).
   */
  async resume(id: string, journal: string): Promise<void> {
    if (this.#runs.has(id)) throw new InvalidOptionError('journal state', id, 'a study that is not running');
    const { mtimeMs } = await stat(journal);
    if (!this.#endings.has(id) && Date.now() - mtimeMs < QUIET_BEFORE_RESUME_MS) {
      throw new InvalidOptionError(
        'journal state',
        id,
        `a study no other process writes (this journal changed in the last ${QUIET_BEFORE_RESUME_MS / 1000} s)`,
      );
    }
    const { header, entries } = await readJournal(journal);
    if (entries.some((e) => e.type === 'result')) {
      throw new InvalidOptionError('journal state', id, 'an unfinished study (this one has its result)');
    }
    await this.#start(id, { ...(header.options as Record<string, unknown>), journal }, true);
  }

  /** Stops a running study (its trials torn down, its journal resumable); false when it does not run here. */
  stop(id: string): boolean {
    const run = this.#runs.get(id);
    run?.stop.abort(new DOMException('stopped from the dashboard', 'AbortError'));
    return run !== undefined;
  }

  /** Stops every study and waits until each has torn its trials down. */
  async close(): Promise<void> {
    const runs = [...this.#runs.values()];
    for (const run of runs) run.stop.abort(new DOMException('the dashboard is closing', 'AbortError'));
    await Promise.all(runs.map((run) => run.done));
  }

  async #start(id: string, options: Record<string, unknown>, resume: boolean): Promise<void> {
    const checked = await checkStudy(options);
    const stop = new AbortController();
    const running = study(checked, {
      signal: stop.signal,
      resume,
      gpuPools: this.#gpuPools,
      ...(this.#logger ? { logger: this.#logger } : {}),
    });
    this.#endings.delete(id);
    const live = new Map<number, LiveTrial>();
    this.#live.set(id, live);
    // Trials between getting their GPUs and their journal line: only the study's events know them.
    const watched = (async () => {
      for await (const event of running) {
        if (event.type === 'trial-started') {
          const { trial: number, phase, params, gpus } = event;
          live.set(number, { number, phase, params, gpus, since: new Date().toISOString(), ready: false });
        } else if (event.type === 'trial-ready') {
          const trial = live.get(event.trial);
          if (trial) trial.ready = true;
        } else if (event.type === 'trial-finished' || event.type === 'trial-failed') {
          live.delete(event.trial);
        }
      }
    })().catch(() => undefined);
    const done = running.result.then(
      () => this.#end(id, { outcome: 'finished' }),
      (error: unknown) =>
        this.#end(
          id,
          stop.signal.aborted
            ? { outcome: 'stopped' }
            : {
                outcome: 'failed',
                message: error instanceof AutotunerError ? error.message : errorMessage(error),
              },
        ),
    );
    this.#runs.set(id, { stop, done: done.then(() => watched) });
  }

  #end(id: string, ending: RunEnding): void {
    this.#runs.delete(id);
    this.#live.delete(id);
    this.#endings.set(id, ending);
  }
}
