// Continuous-batching scheduler of one engine replica, stepped iteration by iteration.
import { KvBlockPool } from './prefix-cache.js';
import { attachPrefix, detachPrefix, publishPrefix, sortByCachedPrefix } from './prefix-reuse.js';
import type { SimConfig } from './sim-config.js';
import type { StepShape } from './step-time.js';

/** A request as the engine sees it. */
export interface SimRequest {
  id: number;
  promptTokens: number;
  /** Tokens to generate before the request finishes. */
  outputTokens: number;
  /** Simulated arrival time in ms. */
  arrivalMs: number;
  /** Hashes of the prompt's full KV blocks, chained (block i's hash covers blocks 0..i); enables prefix hits. */
  blockHashes?: readonly number[];
}

/** A request inside the scheduler. */
export interface Sequence {
  request: SimRequest;
  /** Tokens whose KV is in the cache. */
  computed: number;
  generated: number;
  /** Tokens scheduled in the current step. */
  scheduled: number;
  privateBlocks: number;
  sharedHashes: number[];
  /** Prompt tokens served from the prefix cache at admission. */
  cachedTokens: number;
  /** Simulated time of the first scheduled step. */
  startedMs: number | undefined;
}

/** The batch chosen for one step. */
export interface StepPlan {
  startMs: number;
  shape: StepShape;
  seqs: Sequence[];
}

/** Counters a replica keeps for /metrics. */
export interface SchedulerCounters {
  preemptions: number;
  promptTokensComputed: number;
  prefixHitTokens: number;
  generatedTokens: number;
  finished: number;
}

const contextOf = (seq: Sequence): number => seq.request.promptTokens + seq.generated;

/** One replica's scheduler: waiting queue, running batch, KV blocks, preemption by recompute. */
export class ReplicaScheduler {
  readonly waiting: Sequence[] = [];
  readonly running: Sequence[] = [];
  readonly pool: KvBlockPool;
  readonly counters: SchedulerCounters = {
    preemptions: 0,
    promptTokensComputed: 0,
    prefixHitTokens: 0,
    generatedTokens: 0,
    finished: 0,
  };
  private readonly config: SimConfig;

  constructor(config: SimConfig, kvCapacityTokens: number) {
    this.config = config;
    this.pool = new KvBlockPool(Math.floor(kvCapacityTokens / config.blockSize));
  }

  /** Adds an arrived request at the back of the waiting queue. */
  enqueue(request: SimRequest): void {
    this.waiting.push({
      request,
      computed: 0,
      generated: 0,
      scheduled: 0,
      privateBlocks: 0,
      sharedHashes: [],
      cachedTokens: 0,
      startedMs: undefined,
    });
  }

  /** Requests admitted or waiting. */
  get load(): number {
    return this.running.length + this.waiting.length;
  }

  /** Share of KV blocks in use (0..1). */
  kvUsage(): number {
    return this.pool.capacityBlocks === 0 ? 0 : this.pool.used() / this.pool.capacityBlocks;
  }

  /** Earliest arrival among waiting requests, or undefined. */
  firstArrivalMs(): number | undefined {
    return this.waiting[0]?.request.arrivalMs;
  }

  /** Chooses the next batch at `nowMs`; undefined when there is nothing to run. */
  plan(nowMs: number): StepPlan | undefined {
    const seqs: Sequence[] = [];
    const shape: StepShape = {
      prefillTokens: 0,
      prefillSeqs: 0,
      prefillAttendedTokens: 0,
      decodeSeqs: 0,
      decodeContextTokens: 0,
    };
    const prefillOnly = !this.config.mixedBatches && this.canAdmit(nowMs);
    // SGLang-style decode batches are bounded by the running count only.
    let budget =
      this.config.mixedBatches || prefillOnly ? this.config.maxBatchedTokens : Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.running.length && budget > 0; i++) {
      const seq = this.running[i] as Sequence;
      const need = contextOf(seq) - seq.computed;
      const isPrefill = need > 1 || seq.generated === 0;
      if (prefillOnly !== isPrefill && !this.config.mixedBatches) continue;
      const chunk = this.config.chunkedPrefill ? Math.min(need, budget) : need;
      if (chunk > budget && seqs.length > 0) continue;
      if (!this.reserve(seq, chunk)) {
        // Out of KV: preempt the newest running sequences (recompute later) until this one fits.
        if (!this.preemptFor(seq, chunk, i)) break;
      }
      this.take(seq, chunk, shape, seqs);
      budget -= chunk;
    }
    if (this.config.mixedBatches || prefillOnly)
      this.admit(nowMs, Math.min(budget, this.config.maxBatchedTokens), shape, seqs);
    if (seqs.length === 0) return undefined;
    return { startMs: nowMs, shape, seqs };
  }

  /** Applies a finished step; returns the sequences that produced a token and those that finished. */
  complete(plan: StepPlan): { emitted: Sequence[]; finished: Sequence[] } {
    const emitted: Sequence[] = [];
    const finished: Sequence[] = [];
    for (const seq of plan.seqs) {
      if (seq.scheduled === 0) continue; // preempted after being scheduled
      const wasPrefill = contextOf(seq) - seq.computed > 1 || seq.generated === 0;
      if (wasPrefill) this.counters.promptTokensComputed += seq.scheduled;
      seq.computed += seq.scheduled;
      seq.scheduled = 0;
      if (seq.computed < contextOf(seq)) continue; // chunk of a longer prefill
      if (this.config.prefixCaching && seq.request.blockHashes && seq.generated === 0)
        publishPrefix(seq, this.pool, this.config.blockSize);
      seq.generated++;
      this.counters.generatedTokens++;
      emitted.push(seq);
      if (seq.generated >= seq.request.outputTokens) finished.push(seq);
    }
    for (const seq of finished) {
      this.release(seq);
      this.running.splice(this.running.indexOf(seq), 1);
      this.counters.finished++;
    }
    return { emitted, finished };
  }

  /** Removes a request wherever it is (client went away). */
  cancel(id: number): void {
    for (const list of [this.running, this.waiting]) {
      const index = list.findIndex((seq) => seq.request.id === id);
      if (index >= 0) {
        const [seq] = list.splice(index, 1);
        if (seq) this.release(seq);
      }
    }
  }

  private canAdmit(nowMs: number): boolean {
    const head = this.waiting[0];
    if (
      head !== undefined &&
      head.request.arrivalMs <= nowMs &&
      this.running.length < this.config.maxNumSeqs
    ) {
      const blocks = Math.ceil(contextOf(head) / this.config.blockSize);
      if (blocks <= this.pool.available()) return true;
    }
    return this.running.some(
      (seq) => seq.computed < contextOf(seq) - 1 || (seq.generated === 0 && seq.computed < contextOf(seq)),
    );
  }

  private admit(nowMs: number, budgetIn: number, shape: StepShape, seqs: Sequence[]): void {
    let budget = budgetIn;
    if (this.config.schedulePolicy === 'lpm' && this.config.prefixCaching)
      sortByCachedPrefix(this.waiting, this.pool, nowMs);
    while (budget > 0 && this.running.length < this.config.maxNumSeqs) {
      const seq = this.waiting[0];
      if (seq === undefined || seq.request.arrivalMs > nowMs) break;
      if (this.config.prefixCaching) attachPrefix(seq, this.pool, this.config.blockSize, this.counters);
      const need = contextOf(seq) - seq.computed;
      const fitsWhole = need <= budget || seqs.length === 0;
      if (!this.config.chunkedPrefill && !fitsWhole) break;
      const chunk = this.config.chunkedPrefill ? Math.min(need, budget) : need;
      // SGLang-style admission reserves the whole prompt; vLLM only the scheduled chunk.
      const reserveTokens = this.config.mixedBatches ? chunk : need;
      if (!this.reserve(seq, reserveTokens)) {
        detachPrefix(seq, this.pool, this.counters);
        break;
      }
      this.waiting.shift();
      this.running.push(seq);
      seq.startedMs ??= nowMs;
      this.take(seq, chunk, shape, seqs);
      budget -= chunk;
    }
  }

  private take(seq: Sequence, chunk: number, shape: StepShape, seqs: Sequence[]): void {
    seq.scheduled = chunk;
    seqs.push(seq);
    const need = contextOf(seq) - seq.computed;
    if (need === 1 && seq.generated > 0) {
      shape.decodeSeqs++;
      shape.decodeContextTokens += seq.computed;
    } else {
      shape.prefillSeqs++;
      shape.prefillTokens += chunk;
      shape.prefillAttendedTokens += chunk * (seq.computed + chunk / 2);
    }
  }

  private blocksFor(tokens: number): number {
    return Math.ceil(tokens / this.config.blockSize);
  }

  private reserve(seq: Sequence, tokens: number): boolean {
    const held = seq.privateBlocks + seq.sharedHashes.length;
    const extra = this.blocksFor(seq.computed + tokens) - held;
    if (extra <= 0) return true;
    if (!this.pool.allocate(extra)) return false;
    seq.privateBlocks += extra;
    return true;
  }

  private preemptFor(seq: Sequence, chunk: number, index: number): boolean {
    for (let last = this.running.length - 1; last > index; last--) {
      const victim = this.running[last] as Sequence;
      this.running.splice(last, 1);
      this.release(victim);
      victim.computed = 0;
      victim.scheduled = 0;
      this.waiting.unshift(victim);
      this.counters.preemptions++;
      if (this.reserve(seq, chunk)) return true;
    }
    return false;
  }

  private release(seq: Sequence): void {
    this.pool.release(seq.privateBlocks, seq.sharedHashes, this.config.prefixCaching);
    seq.privateBlocks = 0;
    seq.sharedHashes = [];
  }
}
