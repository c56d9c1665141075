// GpuPool: hands out leases of GPU sets to concurrent trials, first come first served.

import { InvalidOptionError, PoolCapacityError } from '../errors.js';
import type { GpuInfo } from './gpu-info.js';
import { chooseGpuSet, placementCapacity } from './gpu-placement.js';

/** A set of GPUs held by one trial until released; releasing twice is harmless. */
export interface GpuLease extends Disposable, AsyncDisposable {
  readonly gpus: readonly GpuInfo[];
  /** True once release() (or dispose) ran. */
  readonly released: boolean;
  /** Returns the GPUs to the pool; later calls do nothing. */
  release(): void;
}

/** Options of GpuPool. */
export interface GpuPoolOptions {
  /**
   * When several sets of free GPUs fit a request, prefer one whose free memory is balanced
   * (see checkMemoryBalance) with this min/max ratio. A request is never held back for balance.
   * @default 0.8
   */
  minBalanceRatio?: number;
  /**
   * Keep every lease on one host (GpuInfo.host), as single-node engines need. When false, a lease
   * may span hosts (multi-node engines).
   * @default true
   */
  sameHost?: boolean;
}

/** Options of GpuPool.acquire. */
export interface AcquireOptions {
  /** Aborting removes the request from the queue and rejects with the signal's reason. */
  signal?: AbortSignal;
}

interface Waiter {
  count: number;
  grant: (lease: GpuLease) => void;
}

class Lease implements GpuLease {
  #released = false;

  constructor(
    readonly gpus: readonly GpuInfo[],
    private readonly giveBack: (gpus: readonly GpuInfo[]) => void,
  ) {}

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.giveBack(this.gpus);
  }

  [Symbol.dispose](): void {
    this.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }
}

/**
 * A fixed set of GPUs shared by concurrent trials. `acquire(n)` waits until n GPUs are free and
 * hands them out as a lease; no GPU is ever in two leases. Requests are served strictly in arrival
 * order, so a large request is never starved by a stream of small ones (a small request waits
 * behind an earlier large one even when it would fit). GPUs are told apart by uuid.
 * A lease of several GPUs holds whole GPUs only (CUDA uses one MIG instance per process) and,
 * by default, GPUs of one host only; a request no host could ever satisfy is refused at once.
 */
export class GpuPool {
  readonly #gpus: readonly GpuInfo[];
  readonly #free = new Map<string, GpuInfo>();
  readonly #queue: Waiter[] = [];
  readonly #minBalanceRatio: number;
  readonly #sameHost: boolean;

  constructor(gpus: readonly GpuInfo[], options: GpuPoolOptions = {}) {
    if (!Array.isArray(gpus)) throw new InvalidOptionError('gpus', gpus, 'an array of GpuInfo');
    const { minBalanceRatio = 0.8, sameHost = true } = options;
    if (typeof minBalanceRatio !== 'number' || !(minBalanceRatio > 0 && minBalanceRatio <= 1)) {
      throw new InvalidOptionError('minBalanceRatio', minBalanceRatio, 'a number in (0, 1]');
    }
    gpus.forEach((gpu, i) => {
      if (typeof gpu?.uuid !== 'string' || gpu.uuid === '') {
        throw new InvalidOptionError(`gpus[${i}].uuid`, gpu?.uuid, 'a non-empty uuid');
      }
      if (this.#free.has(gpu.uuid))
        throw new InvalidOptionError(`gpus[${i}].uuid`, gpu.uuid, 'a uuid not already in the pool');
      this.#free.set(gpu.uuid, gpu);
    });
    this.#gpus = [...gpus];
    this.#minBalanceRatio = minBalanceRatio;
    this.#sameHost = sameHost !== false;
  }

  /** Number of GPUs in the pool. */
  get size(): number {
    return this.#gpus.length;
  }

  /** Number of GPUs not currently leased. */
  get available(): number {
    return this.#free.size;
  }

  /** Number of acquire() calls waiting for GPUs. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Every GPU of the pool, leased or not. */
  get gpus(): readonly GpuInfo[] {
    return this.#gpus;
  }

  /**
   * Leases `count` GPUs, waiting until they are free and every earlier request was served.
   * Rejects at once with PoolCapacityError when the pool is smaller than `count`, with
   * InvalidOptionError when `count` is not a positive integer, and with the signal's reason
   * (unchanged) when aborted before the GPUs were handed out.
   */
  acquire(count: number, options: AcquireOptions = {}): Promise<GpuLease> {
    const { signal } = options;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      return Promise.reject(new InvalidOptionError('count', count, 'a positive integer'));
    }
    const capacity = placementCapacity(this.#gpus, count, this.#sameHost);
    if (count > capacity) return Promise.reject(new PoolCapacityError(count, capacity));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.#queue.length === 0 ? this.#take(count) : undefined;
    if (now) return Promise.resolve(now);
    return new Promise<GpuLease>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.#queue.indexOf(waiter);
        if (at >= 0) this.#queue.splice(at, 1);
        reject(signal?.reason);
        // The head of the queue may have changed: whoever is next may fit now.
        this.#serve();
      };
      const waiter: Waiter = {
        count,
        grant: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Leases the best free set of `count` GPUs, or returns undefined when none fits yet. */
  #take(count: number): GpuLease | undefined {
    const best = chooseGpuSet(this.#free.values(), count, {
      minBalanceRatio: this.#minBalanceRatio,
      sameHost: this.#sameHost,
    });
    if (!best) return undefined;
    for (const gpu of best.gpus) this.#free.delete(gpu.uuid);
    return new Lease(Object.freeze(best.gpus), (returned) => {
      for (const gpu of returned) this.#free.set(gpu.uuid, gpu);
      this.#serve();
    });
  }

  #serve(): void {
    for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
      const lease = this.#take(head.count);
      if (!lease) return;
      this.#queue.shift();
      head.grant(lease);
    }
  }
}
