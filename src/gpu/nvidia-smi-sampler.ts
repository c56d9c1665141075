// Samples utilisation, memory used and power of some GPUs with one long-running `nvidia-smi --loop-ms` process.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { InvalidOptionError } from '../errors.js';
import { type Clock, systemClock } from '../util/clock.js';

/** One GPU's reading; a figure nvidia-smi reports as `[N/A]` or `[Not Supported]` is left out. */
export interface GpuReading {
  tMs: number;
  index: number;
  utilizationPct?: number;
  memoryUsedMiB?: number;
  powerW?: number;
}

/** Options of an nvidia-smi sampler. */
export interface NvidiaSmiSamplerOptions {
  /** Indices of the GPUs to sample (nvidia-smi's own numbering). */
  gpuIndices: readonly number[];
  /** @default 'nvidia-smi' */
  command?: string;
  /** @default 1_000 */
  intervalMs?: number;
  /** SIGKILL follows SIGTERM after this long when nvidia-smi does not end. @default 2_000 */
  killAfterMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

const QUERY = 'index,utilization.gpu,memory.used,power.draw';

function figure(text: string | undefined): number | undefined {
  const value = Number(text?.trim());
  return text === undefined || text.trim() === '' || !Number.isFinite(value) ? undefined : value;
}

/**
 * One `nvidia-smi --query-gpu=... --format=csv,noheader,nounits --loop-ms=N --id=...` process from `start()` to
 * `stop()`, one reading per GPU per loop. A missing or failing nvidia-smi is a `problem()`, never an exception.
 */
export class NvidiaSmiSampler {
  readonly readings: GpuReading[] = [];
  #problem: string | undefined;
  #child: ChildProcess | undefined;
  #closed: Promise<void> | undefined;
  #stopping = false;
  #stderr = '';
  readonly #options: Required<Omit<NvidiaSmiSamplerOptions, 'clock'>> & { clock: Clock };

  constructor(options: NvidiaSmiSamplerOptions) {
    const { command = 'nvidia-smi', intervalMs = 1_000, killAfterMs = 2_000, gpuIndices } = options;
    if (gpuIndices.length === 0 || !gpuIndices.every((i) => Number.isInteger(i) && i >= 0))
      throw new InvalidOptionError('gpuIndices', gpuIndices, 'one or more GPU indices');
    if (!Number.isInteger(intervalMs) || intervalMs <= 0)
      throw new InvalidOptionError('intervalMs', intervalMs, 'a positive integer of ms');
    this.#options = { command, intervalMs, killAfterMs, gpuIndices, clock: options.clock ?? systemClock };
  }

  /** Starts the nvidia-smi process. */
  start(): void {
    if (this.#child) return;
    const { command, intervalMs, gpuIndices, clock } = this.#options;
    const child = spawn(
      command,
      [
        `--query-gpu=${QUERY}`,
        '--format=csv,noheader,nounits',
        `--loop-ms=${intervalMs}`,
        `--id=${gpuIndices.join(',')}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true },
    );
    this.#child = child;
    this.#closed = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('error', (error: NodeJS.ErrnoException) => {
      this.#problem ??=
        error.code === 'ENOENT' ? `${command} not found` : `${command} could not start: ${error.message}`;
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-500);
    });
    child.once('exit', (code, signal) => {
      if (this.#stopping) return;
      this.#problem ??= `${command} ended during the run (${code === null ? `signal ${signal}` : `exit code ${code}`})${this.#stderr.trim() ? `: ${this.#stderr.trim()}` : ''}`;
    });
    if (!child.stdout) return;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [index, util, memory, power] = line.split(',');
      const gpu = figure(index);
      if (gpu === undefined) return;
      const reading: GpuReading = { tMs: clock.now(), index: gpu };
      const u = figure(util);
      const m = figure(memory);
      const p = figure(power);
      if (u !== undefined) reading.utilizationPct = u;
      if (m !== undefined) reading.memoryUsedMiB = m;
      if (p !== undefined) reading.powerW = p;
      this.readings.push(reading);
    });
  }

  /** Ends the process (SIGTERM, then SIGKILL) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || this.#stopping) return this.#closed;
    this.#stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), this.#options.killAfterMs);
      await this.#closed;
      clearTimeout(timer);
    } else await this.#closed;
  }

  /** What went wrong, once: a missing nvidia-smi, one that ended early, or one that printed nothing. */
  problem(): string | undefined {
    if (this.#problem) return this.#problem;
    if (this.#child && this.readings.length === 0) return `${this.#options.command} printed no reading`;
    return undefined;
  }
}
