// GpuPool: hands out leases of GPU sets to concurrent trials, first come first served with bounded backfilling.

import { InvalidOptionError, PoolCapacityError } from '../errors.js';
import { BackfillQueue } from './backfill-queue.js';
import type { GpuInfo } from './gpu-info.js';
import { chooseGpuSet, placementCapacity } from './gpu-placement.js';
import type { HostGpuLeases, HostLeaseInfo } from './host-gpu-leases.js';

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
  /**
   * Backfilling bound. When the earliest waiting request cannot be served yet, a later one that fits
   * the free GPUs is served ahead of it, so GPUs do not idle behind a wide request; but each waiting
   * request can be overtaken at most this many times, after which nothing more passes it: it starts
   * as soon as enough GPUs are free. `0` serves requests strictly in arrival order; `Infinity` never
   * stops backfilling (a wide request may then wait for ever behind a stream of narrow ones). The
   * default packed a study's mixed world sizes best (BENCHMARKS.md, Study).
   * @default the number of GPUs in the pool
   */
  maxOvertakes?: number;
  /**
   * Leases every process on the host sees (see HostGpuLeases): a GPU another process holds is not handed out
   * until it is released there; requests wait for it as for a GPU of this pool, looking again every
   * `hostLeasePollMs`. Without it, leases are known to this pool only.
   * @default none
   */
  hostLeases?: Pick<HostGpuLeases, 'holder' | 'claim' | 'release'> | undefined;
  /** How often a request waiting for GPUs another process holds looks again. @default 500 */
  hostLeasePollMs?: number;
  /** Told once per wait, when requests start waiting for GPUs other processes hold, who holds them. */
  onHeldElsewhere?: ((holders: HostLeaseInfo[]) => void) | undefined;
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
 * hands them out as a lease; no GPU is ever in two leases. Requests are served in arrival order,
 * except that a later request that fits the free GPUs may go ahead of an earlier one that does not
 * (backfilling), at most `maxOvertakes` times per waiting request, so a large request is never
 * starved by a stream of small ones. GPUs are told apart by uuid.
 * A lease of several GPUs holds whole GPUs only (CUDA uses one MIG instance per process) and,
 * by default, GPUs of one host only; a request no host could ever satisfy is refused at once.
 */
export class GpuPool {
  readonly #gpus: readonly GpuInfo[];
  readonly #free = new Map<string, GpuInfo>();
  readonly #queue: BackfillQueue<Waiter>;
  readonly #minBalanceRatio: number;
  readonly #sameHost: boolean;
  readonly #hostLeases: GpuPoolOptions['hostLeases'];
  readonly #hostLeasePollMs: number;
  readonly #onHeldElsewhere: GpuPoolOptions['onHeldElsewhere'];
  /** GPUs free here that another process held at the last look, by uuid. */
  readonly #elsewhere = new Map<string, HostLeaseInfo>();
  #told = false;
  #pollTimer: NodeJS.Timeout | undefined;

  constructor(gpus: readonly GpuInfo[], options: GpuPoolOptions = {}) {
    if (!Array.isArray(gpus)) throw new InvalidOptionError('gpus', gpus, 'an array of GpuInfo');
    const {
      minBalanceRatio = 0.8,
      sameHost = true,
      maxOvertakes = gpus.length,
      hostLeases,
      hostLeasePollMs = 500,
      onHeldElsewhere,
    } = options;
    if (typeof hostLeasePollMs !== 'number' || !(hostLeasePollMs > 0 && Number.isFinite(hostLeasePollMs))) {
      throw new InvalidOptionError('hostLeasePollMs', hostLeasePollMs, 'a positive number of milliseconds');
    }
    if (typeof minBalanceRatio !== 'number' || !(minBalanceRatio > 0 && minBalanceRatio <= 1)) {
      throw new InvalidOptionError('minBalanceRatio', minBalanceRatio, 'a number in (0, 1]');
    }
    if (
      typeof maxOvertakes !== 'number' ||
      !(maxOvertakes === Number.POSITIVE_INFINITY || (Number.isInteger(maxOvertakes) && maxOvertakes >= 0))
    ) {
      throw new InvalidOptionError('maxOvertakes', maxOvertakes, 'a non-negative integer or Infinity');
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
    this.#queue = new BackfillQueue(maxOvertakes);
    this.#hostLeases = hostLeases;
    this.#hostLeasePollMs = hostLeasePollMs;
    this.#onHeldElsewhere = onHeldElsewhere;
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

  /** Most times one waiting request may be overtaken by later ones (see GpuPoolOptions.maxOvertakes). */
  get maxOvertakes(): number {
    return this.#queue.maxOvertakes;
  }

  /**
   * Leases `count` GPUs, waiting until they are free and it is this request's turn (see maxOvertakes).
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
    return new Promise<GpuLease>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.#queue.remove(waiter)) return;
        reject(signal?.reason);
        // The request that blocked the others may be gone: whoever is next may fit now.
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
      this.#serve();
    });
  }

  /** Leases the best free set of `count` GPUs, or returns undefined when none fits yet. */
  #take(count: number): GpuLease | undefined {
    // Another process may take a GPU between the look and the claim: look again, a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const best = chooseGpuSet(this.#freeOnHost(), count, {
        minBalanceRatio: this.#minBalanceRatio,
        sameHost: this.#sameHost,
      });
      if (!best) return undefined;
      if (this.#hostLeases && !this.#hostLeases.claim(best.gpus.map((gpu) => gpu.uuid))) continue;
      for (const gpu of best.gpus) this.#free.delete(gpu.uuid);
      return new Lease(Object.freeze(best.gpus), (returned) => {
        this.#hostLeases?.release(returned.map((gpu) => gpu.uuid));
        for (const gpu of returned) this.#free.set(gpu.uuid, gpu);
        this.#serve();
      });
    }
    return undefined;
  }

  /** The GPUs free in this pool that no other process holds either; notes those it does hold. */
  #freeOnHost(): GpuInfo[] {
    const free = [...this.#free.values()];
    this.#elsewhere.clear();
    if (!this.#hostLeases) return free;
    return free.filter((gpu) => {
      const holder = this.#hostLeases?.holder(gpu.uuid);
      if (holder) this.#elsewhere.set(gpu.uuid, holder);
      return holder === undefined;
    });
  }

  #serve(): void {
    this.#queue.serve((waiter) => {
      const lease = this.#take(waiter.count);
      if (lease) waiter.grant(lease);
      return lease !== undefined;
    });
    this.#watchElsewhere();
  }

  // While requests wait and another process holds GPUs free here, nothing in this process will say when they come
  // back: look again after a while, and say once who holds them.
  #watchElsewhere(): void {
    const blocked = this.#queue.length > 0 && this.#elsewhere.size > 0;
    if (!blocked) {
      clearTimeout(this.#pollTimer);
      this.#pollTimer = undefined;
      if (this.#queue.length === 0) this.#told = false;
      return;
    }
    if (!this.#told) {
      this.#told = true;
      this.#onHeldElsewhere?.([...this.#elsewhere.values()]);
    }
    this.#pollTimer ??= setTimeout(() => {
      this.#pollTimer = undefined;
      this.#serve();
    }, this.#hostLeasePollMs);
  }
}
