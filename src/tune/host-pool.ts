// The study's GPU pool on this host: its GPUs, leased host-wide (lease files other study processes honour)
// unless the study turns that off, the leases given back when the study ends or a signal ends the process.
import { randomUUID } from 'node:crypto';
import { addSignalCleanup, removeSignalCleanup } from '../controllers/signal-cleanup.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import { defaultGpuLeaseDir } from '../gpu/gpu-lease-dir.js';
import { GpuPool } from '../gpu/gpu-pool.js';
import { HostGpuLeases } from '../gpu/host-gpu-leases.js';
import type { StudyEvent } from './events.js';
import type { ParsedTuneOptions } from './options-schema.js';
import type { StudyGpus } from './resolve-gpus.js';

/** A study's pool of this host's GPUs; close() gives back whatever it still holds. */
export interface HostPool {
  pool: GpuPool;
  close(): void;
}

/**
 * Opens the pool. Real GPUs (probed or declared in a static inventory) are leased host-wide when
 * `gpuLeases.enabled`; virtual GPUs of a simulated study stand for no hardware and are not.
 */
export function openHostPool(
  gpus: readonly GpuInfo[],
  source: StudyGpus['source'],
  options: Pick<ParsedTuneOptions, 'maxOvertakes' | 'gpuLeases'>,
  context: { studyId: string; emit: (event: StudyEvent) => void },
): HostPool {
  const maxOvertakes = options.maxOvertakes === undefined ? {} : { maxOvertakes: options.maxOvertakes };
  if (!options.gpuLeases.enabled || source === 'virtual') {
    return { pool: new GpuPool(gpus, maxOvertakes), close: () => undefined };
  }
  const leases = new HostGpuLeases({
    dir: options.gpuLeases.dir ?? defaultGpuLeaseDir(),
    studyId: context.studyId,
  });
  const indexOf = new Map(gpus.map((gpu) => [gpu.uuid, gpu.index]));
  const pool = new GpuPool(gpus, {
    ...maxOvertakes,
    hostLeases: leases,
    onHeldElsewhere: (holders) =>
      context.emit({
        type: 'gpus-held-elsewhere',
        holders: holders.map((h) => ({
          gpu: indexOf.get(h.gpu) ?? -1,
          uuid: h.gpu,
          pid: h.pid,
          ...(h.studyId === undefined ? {} : { studyId: h.studyId }),
          leasedAt: h.leasedAt,
        })),
      }),
  });
  const key = `gpu-leases:${randomUUID()}`;
  addSignalCleanup(key, { last: () => leases.releaseAll() });
  return {
    pool,
    close() {
      leases.releaseAll();
      removeSignalCleanup(key);
    },
  };
}
