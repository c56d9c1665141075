// The GPUs a study may lease: a static inventory, the probed local GPUs, none, or a simulated engine's virtual ones.
import type { GpuInfo } from '../gpu/gpu-info.js';
import { probeGpus } from '../gpu/probe-gpus.js';
import { normalizeStaticGpus } from '../gpu/static-gpu-probe.js';
import { findGpu } from '../sim/gpu-catalogue.js';
import type { ResolvedOptions } from './resolve-options.js';

/** GPUs of the study and where they came from. */
export interface StudyGpus {
  gpus: GpuInfo[];
  source: 'static' | 'probe' | 'none' | 'virtual';
  /** Why no GPU is visible, when the probe found none. */
  reason?: string;
}

/** Resolves the study's GPU inventory. */
export async function resolveGpus(
  { options, runtime }: Pick<ResolvedOptions, 'options' | 'runtime'>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<StudyGpus> {
  if (Array.isArray(options.gpus))
    return { gpus: normalizeStaticGpus(options.gpus, 'gpus'), source: 'static' };
  if (options.gpus === 'none') return { gpus: [], source: 'none' };
  if (runtime.traits.devices === 'simulated' && options.gpus === undefined) {
    // A simulated engine needs no real GPU: it gets virtual ones of the simulated kind.
    const spec = findGpu(options.sim?.gpu ?? 'h100');
    const memoryMiB = (spec?.memoryGiB ?? 80) * 1024;
    const count = options.sim?.numGpus ?? 8;
    const gpus = normalizeStaticGpus(
      Array.from({ length: count }, (_, index) => ({
        index,
        uuid: `sim-${index}`,
        name: spec?.name ?? 'h100',
        memoryTotalMiB: memoryMiB,
      })),
      'sim',
    );
    return { gpus, source: 'virtual' };
  }
  const result = await probeGpus(signal ? { signal } : {});
  return { gpus: result.gpus, source: 'probe', ...(result.reason ? { reason: result.reason } : {}) };
}
