// Steady-state analytic prediction of the simulated engine (no server, no stepping): same roofline, same memory plan.
import { prepareRun, type SimWorkload } from './prepare-run.js';
import type { SimConfig, SimConfigInput } from './sim-config.js';
import type { StartupFailure } from './startup.js';
import { createStepCostModel, type StepCostModel } from './step-time.js';
import type { LatencySummary, SimPerformance } from './virtual-run.js';

/** What `estimate` predicts for a configuration that starts. */
export interface SimEstimate extends SimPerformance {
  /** Concurrent requests the KV cache holds before preemption starts (per engine, all replicas). */
  maxConcurrencyBeforeKvPressure: number;
  /** Sequences that run at once in steady state (all replicas). */
  runningSeqs: number;
  /** Open loop only: the arrival rate exceeds capacity (queues grow, latencies are Infinity). */
  saturated: boolean;
  /** Simulated start-up time in ms. */
  startupMs: number;
  /** KV cache capacity of one replica in tokens. */
  kvCapacityTokens: number;
}

/** Result of `estimate`: a prediction or the start-up failure the engine would hit. */
export type EstimateResult = { ok: true; estimate: SimEstimate } | { ok: false; failure: StartupFailure };

interface CyclePoint {
  requestsPerMs: number;
  ttftMs: number;
  tpotMs: number;
  meanStepMs: number;
}

// Closed-loop steady state of one replica with `batch` requests in the running set.
// `poisson`: arrivals are random, so a new prompt shares its prefill step with the average load of
// others; closed-loop clients arrive at step boundaries and collide only past one arrival per step;
// `queued`: a closed loop with more clients than running slots (freed slots refill together).
function cycle(
  config: SimConfig,
  cost: StepCostModel,
  workload: SimWorkload,
  batch: number,
  arrivals: 'poisson' | 'closed' | 'queued',
): CyclePoint {
  const poisson = arrivals === 'poisson';
  const prompt = workload.promptTokens;
  const output = workload.outputTokens;
  const cached = config.prefixCaching
    ? Math.min(
        Math.floor((workload.sharedPrefixTokens ?? 0) / config.blockSize) * config.blockSize,
        Math.floor((prompt - 1) / config.blockSize) * config.blockSize,
      )
    : 0;
  const fresh = prompt - cached;
  const contextMean = prompt + output / 2;
  const decodeSteps = Math.max(0, output - 1);
  if (config.mixedBatches) {
    // Arrivals per step follow from the request lifetime; prefill rides along in "units".
    const decodes = (batch * decodeSteps) / Math.max(1, decodeSteps + 1);
    const room = Math.max(1, config.maxBatchedTokens - decodes);
    let unit = config.chunkedPrefill ? Math.min(room, fresh) : fresh;
    let prefillSteps = Math.ceil(fresh / unit);
    const life = decodeSteps + prefillSteps;
    const perStep = (batch * fresh) / life;
    const tokensPerRequest = fresh + decodeSteps;
    if ((batch / life) * tokensPerRequest > config.maxBatchedTokens) {
      // Token-budget bound: every step is full and requests queue for prefill room.
      const rate = config.maxBatchedTokens / tokensPerRequest;
      const decoding = rate * decodeSteps;
      const prefill = config.maxBatchedTokens - decoding;
      const stepMs = cost.stepMs({
        prefillTokens: prefill,
        prefillSeqs: Math.max(1, prefill / fresh),
        prefillAttendedTokens: prefill * (cached + fresh / 2),
        decodeSeqs: decoding,
        decodeContextTokens: decoding * contextMean,
      });
      const lifeMs = (batch / rate) * stepMs;
      return {
        requestsPerMs: rate / stepMs,
        ttftMs: lifeMs - decodeSteps * stepMs,
        tpotMs: stepMs,
        meanStepMs: stepMs,
      };
    }
    unit = config.chunkedPrefill ? Math.min(room, Math.max(unit, perStep)) : Math.max(fresh, perStep);
    prefillSteps = Math.ceil(fresh / unit);
    const share = Math.min(1, perStep / unit);
    const prefillSeqs = Math.max(1, unit / fresh);
    const decodeShape = {
      prefillTokens: 0,
      prefillSeqs: 0,
      prefillAttendedTokens: 0,
      decodeSeqs: decodes,
      decodeContextTokens: decodes * contextMean,
    };
    const withPrefill = cost.stepMs({
      ...decodeShape,
      prefillTokens: unit,
      prefillSeqs,
      prefillAttendedTokens: unit * (cached + fresh / 2),
    });
    const decodeOnly = decodes > 0 ? cost.stepMs(decodeShape) : 0;
    const meanStepMs = share * withPrefill + (1 - share) * decodeOnly;
    const lifeMs = prefillSteps * withPrefill + decodeSteps * meanStepMs;
    const seen = fresh + (poisson ? perStep : 2 * Math.max(0, perStep - fresh));
    const seenUnit = config.chunkedPrefill ? Math.min(room, seen) : seen;
    const ttftMs =
      Math.ceil(seen / seenUnit) *
      cost.stepMs({
        ...decodeShape,
        prefillTokens: seenUnit,
        prefillSeqs: Math.max(1, seenUnit / fresh),
        prefillAttendedTokens: seenUnit * (cached + fresh / 2),
      });
    return { requestsPerMs: batch / lifeMs, ttftMs, tpotMs: meanStepMs, meanStepMs };
  }
  // Prefill-first (SGLang): new prompts run in their own steps and pause decoding.
  const decodeMs = cost.stepMs({
    prefillTokens: 0,
    prefillSeqs: 0,
    prefillAttendedTokens: 0,
    decodeSeqs: batch,
    decodeContextTokens: batch * contextMean,
  });
  const arrivalsPerDecodeStep = batch / Math.max(1, decodeSteps);
  const chunk = config.chunkedPrefill ? config.maxBatchedTokens : Number.POSITIVE_INFINITY;
  const prefillMs = (seqs: number): number => {
    const tokens = seqs * fresh;
    const steps = Math.ceil(tokens / Math.min(chunk, tokens));
    const perStep = tokens / steps;
    return (
      steps *
      cost.stepMs({
        prefillTokens: perStep,
        prefillSeqs: seqs / steps,
        prefillAttendedTokens: perStep * (cached + fresh / 2),
        decodeSeqs: 0,
        decodeContextTokens: 0,
      })
    );
  };
  if (arrivals === 'queued') {
    // Slots freed together are refilled by one prefill round from the queue: groups of a round's size.
    const group = Math.min(batch, Math.max(1, Math.floor(chunk / fresh)));
    const groupMs = prefillMs(group);
    const tpotMs = decodeMs + ((batch / group - 1) / Math.max(1, decodeSteps)) * groupMs;
    const requestsPerMs = batch / (groupMs + decodeSteps * tpotMs);
    return { requestsPerMs, ttftMs: groupMs, tpotMs, meanStepMs: tpotMs };
  }
  const roundMs = prefillMs(Math.max(1, arrivalsPerDecodeStep));
  const seenGroup = 1 + (poisson ? arrivalsPerDecodeStep : 2 * Math.max(0, arrivalsPerDecodeStep - 1));
  // A decode step is followed, on average, by min(1, arrivals) prefill rounds of the other requests.
  const others = poisson ? arrivalsPerDecodeStep : Math.max(0, batch - 1) / Math.max(1, decodeSteps);
  const tpotMs = decodeMs + Math.min(1, others) * roundMs;
  const ttftMs = prefillMs(seenGroup);
  const requestsPerMs = batch / (ttftMs + decodeSteps * tpotMs);
  return { requestsPerMs, ttftMs, tpotMs, meanStepMs: tpotMs };
}

function around(value: number, cv: number): LatencySummary {
  // Step noise averages out over many steps; keep a small spread for the tails.
  return { mean: value, p50: value, p90: value * (1 + 1.28 * cv), p99: value * (1 + 2.33 * cv) };
}

/**
 * Predicts steady-state throughput and latencies of a configuration under a workload from the same memory plan
 * and roofline as the stepped engine. Configurations that cannot start (OOM, invalid tp, too little KV, bad
 * option values, requests longer than max_model_len) come back as `{ ok: false, failure }`; only an unusable
 * workload throws. Assumes requests spread evenly over steps: closed loops of identical requests can fall into
 * lockstep (prefill-first SGLang scheduling at high concurrency especially), which a stepped run shows and this
 * does not. Latencies are in simulated milliseconds.
 */
export function estimate(input: SimConfig | SimConfigInput, workload: SimWorkload): EstimateResult {
  const prepared = prepareRun(input, workload);
  if (!prepared.ok) return prepared;
  const { config } = prepared;
  const { plan } = prepared;
  const cost = createStepCostModel(config, plan);
  const replicas = config.dataParallel;
  const heldPerSeq = workload.promptTokens + workload.outputTokens / 2 + config.blockSize / 2;
  const kvSeqs = Math.max(1, Math.floor(plan.kvCapacityTokens / heldPerSeq));
  const seqLimit = Math.min(config.maxNumSeqs, kvSeqs);
  const maxConcurrency =
    Math.min(
      config.maxNumSeqs,
      Math.floor(plan.kvCapacityTokens / (workload.promptTokens + workload.outputTokens)),
    ) * replicas;
  let point: CyclePoint;
  let batch: number;
  let queueMs = 0;
  let saturated = false;
  if (workload.concurrency !== undefined) {
    const perReplica = workload.concurrency / replicas;
    batch = Math.min(perReplica, seqLimit);
    point = cycle(config, cost, workload, Math.max(1, batch), perReplica > batch ? 'queued' : 'closed');
    // Clients beyond the running set wait in the queue (Little's law on the whole loop).
    if (perReplica > batch) {
      const lifeMs = batch / point.requestsPerMs;
      queueMs = perReplica / point.requestsPerMs - lifeMs;
    }
  } else {
    const ratePerMs = (workload.requestRatePerS ?? 0) / 1000 / replicas;
    const full = cycle(config, cost, workload, seqLimit, 'poisson');
    if (ratePerMs >= full.requestsPerMs) {
      saturated = true;
      batch = seqLimit;
      point = full;
    } else {
      // Smallest running set whose throughput matches the arrival rate.
      let low = 0;
      let high = seqLimit;
      for (let i = 0; i < 40; i++) {
        const mid = (low + high) / 2;
        if (cycle(config, cost, workload, Math.max(mid, 1e-6), 'poisson').requestsPerMs < ratePerMs)
          low = mid;
        else high = mid;
      }
      batch = Math.max(high, 1e-6);
      point = cycle(config, cost, workload, batch, 'poisson');
      // An arrival waits for the step in flight to end.
      queueMs = point.meanStepMs / 2;
    }
  }
  const requestsPerS = saturated
    ? point.requestsPerMs * 1000 * replicas
    : (workload.requestRatePerS ?? point.requestsPerMs * 1000 * replicas);
  const ttft = saturated ? Number.POSITIVE_INFINITY : point.ttftMs + queueMs;
  const e2e = ttft + Math.max(0, workload.outputTokens - 1) * point.tpotMs;
  const cv = config.noiseCv;
  return {
    ok: true,
    estimate: {
      requestsPerS,
      outputTokensPerS: requestsPerS * workload.outputTokens,
      totalTokensPerS: requestsPerS * (workload.promptTokens + workload.outputTokens),
      ttftMs: around(ttft, cv),
      tpotMs: workload.outputTokens > 1 ? around(point.tpotMs, cv / 3) : undefined,
      e2eMs: around(e2e, cv / 3),
      meanBatchSize: batch,
      preemptions: 0,
      maxConcurrencyBeforeKvPressure: maxConcurrency,
      runningSeqs: batch * replicas,
      saturated,
      startupMs: prepared.startupMs,
      kvCapacityTokens: plan.kvCapacityTokens,
    },
  };
}
