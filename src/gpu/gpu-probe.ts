// The interface every GPU probe implements, and the result they return.

import type { GpuInfo } from './gpu-info.js';

/** Where a probe result came from; `none` when probeGpus found nothing anywhere. */
export type GpuProbeSource = 'nvidia-smi' | 'systeminformation' | 'static' | 'none';

/** What a probe saw. `gpus` is empty (with a `reason`) when no NVIDIA GPU is visible. */
export interface GpuProbeResult {
  gpus: GpuInfo[];
  source: GpuProbeSource;
  /** Why the list is empty or partial (missing binary, driver error, figures not reported). */
  reason?: string;
}

/** Options every probe accepts. */
export interface GpuProbeOptions {
  /** Aborting rejects the probe with the signal's reason and stops any child process. */
  signal?: AbortSignal;
}

/**
 * A way of finding GPUs. `probe()` reports "nothing visible" as an empty result with a reason, not
 * an exception; it rejects only when aborted or when called with invalid options.
 */
export interface GpuProbe {
  readonly source: GpuProbeSource;
  probe(options?: GpuProbeOptions): Promise<GpuProbeResult>;
}

/** Text of an unknown thrown value, first line only, for a probe's reason. */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

/** Races a promise against a signal: rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
