// NvidiaSmiProbe: runs `nvidia-smi -q -x` and parses it; a missing binary is "no GPUs visible".

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { InvalidOptionError } from '../errors.js';
import {
  describeFailure,
  type GpuProbe,
  type GpuProbeOptions,
  type GpuProbeResult,
  raceAbort,
} from './gpu-probe.js';
import { gpusFromNvidiaSmiLog, type NvidiaSmiXmlOptions } from './nvidia-smi-log.js';
import { parseXmlTree } from './nvidia-smi-xml.js';

/** Options of NvidiaSmiProbe. */
export interface NvidiaSmiProbeOptions extends NvidiaSmiXmlOptions {
  /** Executable to run (backend `exec` only). @default 'nvidia-smi' */
  command?: string;
  /** Kill nvidia-smi after this long: a wedged driver can make it hang. @default 15_000 */
  timeoutMs?: number;
  /**
   * `exec` runs the command itself, so an abort or the timeout kills it. `node-nvidia-smi` uses
   * that package, which offers no way to stop the child: an abort rejects at once, but a hung
   * nvidia-smi keeps running (and keeps the process alive) until it ends by itself.
   * @default 'exec'
   */
  backend?: 'exec' | 'node-nvidia-smi';
}

type SmiOutcome = { xmlTree: unknown } | { reason: string };

const NOT_VISIBLE = 'no NVIDIA GPUs visible';

function runExec(command: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<SmiOutcome> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      ['-q', '-x'],
      {
        encoding: 'utf8',
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        windowsHide: true,
        ...(signal ? { signal } : {}),
      },
      (error, stdout, stderr) => {
        if (signal?.aborted) return reject(signal.reason);
        if (error === null) {
          try {
            return resolve({ xmlTree: parseXmlTree(stdout) });
          } catch (parseError) {
            return resolve({
              reason: `could not parse ${command} -q -x output: ${describeFailure(parseError)}`,
            });
          }
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          return resolve({
            reason: `${NOT_VISIBLE}: ${command} not found${command.includes('/') ? '' : ' on PATH'}`,
          });
        }
        if (error.killed)
          return resolve({ reason: `${NOT_VISIBLE}: ${command} did not answer within ${timeoutMs} ms` });
        const said = describeFailure(stderr.trim() || stdout.trim() || error.message);
        const how = typeof code === 'number' ? `exit code ${code}` : `signal ${error.signal ?? String(code)}`;
        return resolve({ reason: `${NOT_VISIBLE}: ${command} failed (${how}): ${said}` });
      },
    );
  });
}

type NodeNvidiaSmi = (callback: (error: unknown, data: unknown) => void) => void;

function runNodeNvidiaSmi(signal: AbortSignal | undefined): Promise<SmiOutcome> {
  const smi = createRequire(import.meta.url)('node-nvidia-smi') as NodeNvidiaSmi;
  const outcome = new Promise<SmiOutcome>((resolve) => {
    smi((error, data) => {
      if (error === null || error === undefined) return resolve({ xmlTree: data });
      // It runs `nvidia-smi -q -x` through a shell, which exits with 127 when the command is missing.
      if ((error as { code?: unknown }).code === 127)
        return resolve({ reason: `${NOT_VISIBLE}: nvidia-smi not found on PATH` });
      resolve({ reason: `${NOT_VISIBLE}: nvidia-smi failed: ${describeFailure(error)}` });
    });
  });
  return raceAbort(outcome, signal);
}

/** Probes local NVIDIA GPUs with `nvidia-smi -q -x` (see parseNvidiaSmiXml for the mapping). */
export class NvidiaSmiProbe implements GpuProbe {
  readonly source = 'nvidia-smi' as const;
  readonly #options: Required<Pick<NvidiaSmiProbeOptions, 'command' | 'timeoutMs' | 'backend'>> &
    NvidiaSmiXmlOptions;

  constructor(options: NvidiaSmiProbeOptions = {}) {
    const { command = 'nvidia-smi', timeoutMs = 15_000, backend = 'exec', expandMig } = options;
    if (typeof command !== 'string' || command === '')
      throw new InvalidOptionError('command', command, 'an executable name or path');
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new InvalidOptionError('timeoutMs', timeoutMs, 'a positive integer of ms');
    if (backend !== 'exec' && backend !== 'node-nvidia-smi') {
      throw new InvalidOptionError('backend', backend, "'exec' or 'node-nvidia-smi'");
    }
    if (backend === 'node-nvidia-smi' && command !== 'nvidia-smi') {
      throw new InvalidOptionError(
        'command',
        command,
        "'nvidia-smi' (node-nvidia-smi cannot run another command)",
      );
    }
    this.#options = { command, timeoutMs, backend, ...(expandMig === undefined ? {} : { expandMig }) };
  }

  /** Runs nvidia-smi; resolves with an empty list and a reason when it is missing or fails. */
  async probe(options: GpuProbeOptions = {}): Promise<GpuProbeResult> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    const { command, timeoutMs, backend } = this.#options;
    const outcome =
      backend === 'exec' ? await runExec(command, timeoutMs, signal) : await runNodeNvidiaSmi(signal);
    if ('reason' in outcome) return { gpus: [], source: this.source, reason: outcome.reason };
    try {
      const gpus = gpusFromNvidiaSmiLog(outcome.xmlTree, this.#options);
      return gpus.length > 0
        ? { gpus, source: this.source }
        : { gpus, source: this.source, reason: `${NOT_VISIBLE}: nvidia-smi lists no GPUs` };
    } catch (error) {
      return {
        gpus: [],
        source: this.source,
        reason: `could not read nvidia-smi output: ${describeFailure(error)}`,
      };
    }
  }
}
