// What a benchmark run asks of something that samples the server or its host while the measured phase runs.

/**
 * Starts with the measured phase (after warm-up) and stops when it ends. `stop` never rejects: a sampler that
 * failed says so through its own result. Both are called at most once.
 */
export interface TelemetryProbe {
  start(): void;
  stop(): Promise<void>;
}

/** Starts every probe; stops them all together. */
export function combineProbes(probes: readonly TelemetryProbe[]): TelemetryProbe {
  return {
    start: () => {
      for (const p of probes) p.start();
    },
    stop: async () => {
      await Promise.all(probes.map((p) => p.stop()));
    },
  };
}
