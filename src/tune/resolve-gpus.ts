// The GPUs a study may lease: a static inventory, the probed local GPUs, none, or a simulated engine's virtual ones.
import type { GpuInfo } from '../gpu/gpu-info.js';
import { probeGpus } from '../gpu/probe-gpus.js';
import { normalizeStaticGpus } from '../gpu/static-gpu-probe.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { findGpu } from '../sim/gpu-catalogue.js';
import type { ParsedTuneOptions } from './options-schema.js';

/** GPUs of the study and where they came from. */
export interface StudyGpus {
  gpus: GpuInfo[];
  source: 'static' | 'probe' | 'none' | 'virtual';
  /** Why no GPU is visible, when the probe found none. */
  reason?: string;
}

/** The options resolveGpus reads. */
type GpuOptions = Pick<Partial<ParsedTuneOptions>, 'gpus' | 'sim'>;

/**
 * The study's GPU inventory when the options alone decide it (a static list, `'none'`, a simulated engine's
 * virtual GPUs); undefined when it takes a probe of this host. Throws InvalidOptionError for a bad static list.
 */
export function declaredGpus(options: GpuOptions, runtime: RuntimeAdapter): StudyGpus | undefined {
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
  return undefined;
}

/** Resolves the study's GPU inventory (probing this host unless the options decide it). */
export async function resolveGpus(
  { options, runtime }: { options: GpuOptions; runtime: RuntimeAdapter },
  { signal }: { signal?: AbortSignal } = {},
): Promise<StudyGpus> {
  const declared = declaredGpus(options, runtime);
  if (declared) return declared;
  const result = await probeGpus(signal ? { signal } : {});
  return { gpus: result.gpus, source: 'probe', ...(result.reason ? { reason: result.reason } : {}) };
}
