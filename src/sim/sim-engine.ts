// The simulated engine in simulated time: data-parallel replicas, each a scheduler plus a noisy roofline clock.
import type { Rng } from '../util/rng.js';
import type { MemoryPlan } from './memory-plan.js';
import { ReplicaScheduler, type Sequence, type SimRequest, type StepPlan } from './scheduler.js';
import type { SimConfig } from './sim-config.js';
import { createStepCostModel, type StepCostModel } from './step-time.js';

/** Called for every generated token, in simulated-time order. */
export type TokenSink = (seq: Sequence, atMs: number, finished: boolean) => void;

interface Replica {
  scheduler: ReplicaScheduler;
  step: (StepPlan & { endMs: number }) | undefined;
  freeAtMs: number;
  /** Nothing could be scheduled the last time; wait for a new arrival or a cancellation. */
  stalled: boolean;
}

/** Engine-wide gauges and counters (summed over replicas). */
export interface EngineStats {
  running: number;
  waiting: number;
  /** Share of KV blocks in use, averaged over replicas (0..1). */
  kvUsage: number;
  preemptions: number;
  promptTokens: number;
  prefixHitTokens: number;
  generatedTokens: number;
  finished: number;
  steps: number;
}

/** The statistics of an engine that has done nothing yet (also what /metrics shows before the engine loads). */
export const IDLE_ENGINE_STATS: Readonly<EngineStats> = {
  running: 0,
  waiting: 0,
  kvUsage: 0,
  preemptions: 0,
  promptTokens: 0,
  prefixHitTokens: 0,
  generatedTokens: 0,
  finished: 0,
  steps: 0,
};

/** Continuous-batching engine advanced explicitly through simulated time (no timers, no I/O). */
export class SimEngine {
  readonly config: SimConfig;
  readonly cost: StepCostModel;
  private readonly replicas: Replica[];
  private readonly rng: Rng;
  private steps = 0;

  constructor(config: SimConfig, plan: MemoryPlan, rng: Rng) {
    this.config = config;
    this.cost = createStepCostModel(config, plan);
    this.rng = rng;
    this.replicas = Array.from({ length: config.dataParallel }, () => ({
      scheduler: new ReplicaScheduler(config, plan.kvCapacityTokens),
      step: undefined,
      freeAtMs: 0,
      stalled: false,
    }));
  }

  /** Queues a request on the least-loaded replica; `arrivalMs` must not precede the last advance. */
  submit(request: SimRequest): void {
    let best = this.replicas[0] as Replica;
    for (const replica of this.replicas) if (replica.scheduler.load < best.scheduler.load) best = replica;
    best.scheduler.enqueue(request);
    best.stalled = false;
  }

  /** Drops a request (the client disconnected). */
  cancel(id: number): void {
    for (const replica of this.replicas) {
      replica.scheduler.cancel(id);
      replica.stalled = false;
    }
  }

  /** Simulated time of the next step start or end, or undefined when idle. */
  nextEventMs(): number | undefined {
    let next: number | undefined;
    for (const replica of this.replicas) {
      const at = this.eventOf(replica);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Runs every step that starts or ends at or before `untilMs`, reporting tokens to `sink`. */
  advance(untilMs: number, sink: TokenSink): void {
    for (;;) {
      let replica: Replica | undefined;
      let at = Number.POSITIVE_INFINITY;
      for (const candidate of this.replicas) {
        const time = this.eventOf(candidate);
        if (time !== undefined && time < at) {
          at = time;
          replica = candidate;
        }
      }
      if (replica === undefined || at > untilMs) return;
      const step = replica.step;
      if (step) {
        replica.step = undefined;
        replica.freeAtMs = step.endMs;
        const { emitted, finished } = replica.scheduler.complete(step);
        const done = new Set(finished);
        for (const seq of emitted) sink(seq, step.endMs, done.has(seq));
        continue;
      }
      const plan = replica.scheduler.plan(at);
      if (!plan) {
        replica.stalled = true;
        continue;
      }
      const cv = this.config.noiseCv;
      const noise = cv > 0 ? Math.max(0.25, 1 + cv * this.rng.normal()) : 1;
      replica.step = { ...plan, endMs: at + this.cost.stepMs(plan.shape) * noise };
      this.steps++;
    }
  }

  /** Gauges and counters for /metrics. */
  stats(): EngineStats {
    const stats: EngineStats = { ...IDLE_ENGINE_STATS, steps: this.steps };
    for (const { scheduler } of this.replicas) {
      stats.running += scheduler.running.length;
      stats.waiting += scheduler.waiting.length;
      stats.kvUsage += scheduler.kvUsage() / this.replicas.length;
      stats.preemptions += scheduler.counters.preemptions;
      stats.promptTokens += scheduler.counters.promptTokensComputed;
      stats.prefixHitTokens += scheduler.counters.prefixHitTokens;
      stats.generatedTokens += scheduler.counters.generatedTokens;
      stats.finished += scheduler.counters.finished;
    }
    return stats;
  }

  private eventOf(replica: Replica): number | undefined {
    if (replica.step) return replica.step.endMs;
    if (replica.stalled) return undefined;
    const { scheduler } = replica;
    if (scheduler.running.length > 0) return replica.freeAtMs;
    const arrival = scheduler.firstArrivalMs();
    return arrival === undefined ? undefined : Math.max(replica.freeAtMs, arrival);
  }
}
