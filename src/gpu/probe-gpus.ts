// probeGpus: the static inventory when declared, else nvidia-smi, falling back to systeminformation.

import { describeFailure, type GpuProbe, type GpuProbeResult } from './gpu-probe.js';
import { NvidiaSmiProbe, type NvidiaSmiProbeOptions } from './nvidia-smi-probe.js';
import { type StaticGpuEntry, StaticGpuProbe } from './static-gpu-probe.js';
import { SystemInformationProbe } from './systeminformation-probe.js';

/** Options of probeGpus. */
export interface ProbeGpusOptions {
  /**
   * Declared GPUs (remote hosts, Kubernetes, tests). When given, no local probe runs.
   * @default undefined
   */
  static?: readonly StaticGpuEntry[];
  /** Probes tried in order until one sees a GPU. @default [NvidiaSmiProbe, SystemInformationProbe] */
  probes?: readonly GpuProbe[];
  /** Options of the default NvidiaSmiProbe. @default {} */
  nvidiaSmi?: NvidiaSmiProbeOptions;
  signal?: AbortSignal;
}

/**
 * Finds the GPUs a study may use. With `static`, returns that inventory (validated). Otherwise tries
 * each probe in order and returns the first result that lists GPUs; when none does, returns an empty
 * list with source `none` and every probe's reason. Rejects only on abort or invalid options.
 */
export async function probeGpus(options: ProbeGpusOptions = {}): Promise<GpuProbeResult> {
  const { signal } = options;
  if (options.static !== undefined) return new StaticGpuProbe(options.static).probe(signal ? { signal } : {});
  const probes = options.probes ?? [new NvidiaSmiProbe(options.nvidiaSmi), new SystemInformationProbe()];
  const reasons: string[] = [];
  for (const probe of probes) {
    if (signal?.aborted) throw signal.reason;
    let result: GpuProbeResult;
    try {
      result = await probe.probe(signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      reasons.push(`${probe.source}: ${describeFailure(error)}`);
      continue;
    }
    if (result.gpus.length > 0) {
      // Say why earlier probes were passed over, with this probe's own note if any.
      const notes = [...reasons, ...(result.reason ? [`${probe.source}: ${result.reason}`] : [])];
      return notes.length > 0 ? { ...result, reason: notes.join('; ') } : result;
    }
    reasons.push(`${probe.source}: ${(result.reason ?? 'no GPUs').replace(/^no NVIDIA GPUs visible: /, '')}`);
  }
  return {
    gpus: [],
    source: 'none',
    reason: `no NVIDIA GPUs visible (${reasons.join('; ') || 'no probe ran'})`,
  };
}
