// GPU pools shared by the studies of one process (the dashboard's queue): studies on the same GPUs draw from one
// GpuPool, so they never hold the same GPU and a freed GPU goes to the next request of whichever study waits.
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { StudyEvent } from './events.js';
import { type HostPool, openHostPool } from './host-pool.js';
import type { ParsedTuneOptions } from './options-schema.js';
import type { StudyGpus } from './resolve-gpus.js';

interface Shared {
  host: HostPool;
  /** The studies using it, told when its requests wait for GPUs another process holds. */
  emitters: Set<(event: StudyEvent) => void>;
}

/**
 * One pool per set of GPUs (by uuid) for every study of this process that is given this object. The first study
 * on a set opens its pool with its settings (backfilling bound, host-wide leases); the pool closes, giving its
 * host leases back, when the last study using it ends. Virtual GPUs of simulated studies stand for no hardware:
 * each such study keeps a pool of its own.
 */
export class SharedGpuPools {
  readonly #pools = new Map<string, Shared>();

  /** Pools open now (tests, diagnostics). */
  get size(): number {
    return this.#pools.size;
  }

  /** The study's pool on these GPUs: shared when another study of this process uses the same set. */
  open(
    gpus: readonly GpuInfo[],
    source: StudyGpus['source'],
    options: Pick<ParsedTuneOptions, 'maxOvertakes' | 'gpuLeases'>,
    context: { studyId: string; emit: (event: StudyEvent) => void },
  ): HostPool {
    if (source === 'virtual') return openHostPool(gpus, source, options, context);
    const key = gpus
      .map((gpu) => gpu.uuid)
      .sort()
      .join('\n');
    let shared = this.#pools.get(key);
    if (!shared) {
      const emitters = new Set<(event: StudyEvent) => void>();
      const host = openHostPool(gpus, source, options, {
        studyId: context.studyId,
        emit: (event) => {
          for (const emit of emitters) emit(event);
        },
      });
      shared = { host, emitters };
      this.#pools.set(key, shared);
    }
    const entry = shared;
    const emit = context.emit;
    entry.emitters.add(emit);
    let closed = false;
    return {
      pool: entry.host.pool,
      close: () => {
        if (closed) return;
        closed = true;
        entry.emitters.delete(emit);
        if (entry.emitters.size === 0 && this.#pools.get(key) === entry) {
          this.#pools.delete(key);
          entry.host.close();
        }
      },
    };
  }
}
