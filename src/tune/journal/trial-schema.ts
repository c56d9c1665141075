// Schema of a journaled trial record (and of the run metrics it carries), for one format version.
import { z } from 'zod';
import type { FailureReason, TrialManifest, TrialRecord } from '../trial-record.js';
import { NULL_MEANS_UNKNOWN, NULL_MEANS_UNMET, type NumberField } from './journal-numbers.js';

const count = z.number().int().nonnegative();
const paramsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
// A newer library may classify failures it did not know yet: any string is read, typed as the reason.
const failureReason = z.custom<FailureReason>((v) => typeof v === 'string', { message: 'expected a string' });

/** Schema of a run's metrics. */
export function runMetricsSchema(num: NumberField) {
  const value = num(NULL_MEANS_UNKNOWN);
  const stat = value.optional();
  // JSON drops undefined statistics; the type keeps the five standard ones as present-but-undefined keys.
  const latency = z
    .looseObject({ mean: stat, p50: stat, p90: stat, p95: stat, p99: stat })
    .catchall(stat)
    .transform((s) => ({ ...s, mean: s.mean, p50: s.p50, p90: s.p90, p95: s.p95, p99: s.p99 }));
  return z.looseObject({
    ttftMs: latency,
    tpotMs: latency,
    itlMs: latency,
    e2eMs: latency,
    requestsPerS: value,
    inputTokensPerS: value,
    outputTokensPerS: value,
    totalTokensPerS: value,
    errorRate: value,
    goodputRps: value.optional(),
    attainment: value.optional(),
    requestCount: count,
  });
}

function manifestSchema(num: NumberField): z.ZodType<TrialManifest> {
  return z.looseObject({
    runtime: z.string(),
    engineVersion: z.string().optional(),
    image: z.string().optional(),
    imageDigest: z.string().optional(),
    command: z.string(),
    argv: z.array(z.string()),
    env: z.record(z.string(), z.string()),
    gpus: z.array(
      z.looseObject({
        index: count,
        uuid: z.string(),
        name: z.string(),
        driverVersion: z.string().optional(),
      }),
    ),
    controller: z.string(),
    workload: z.unknown(),
    load: z.unknown(),
    seed: num(NULL_MEANS_UNKNOWN),
    library: z.looseObject({ name: z.string(), version: z.string() }),
    registryVersion: z.string().optional(),
  });
}

/** Schema of a trial's telemetry (absent from journals written before it was sampled). */
function telemetrySchema(num: NumberField) {
  const value = num(NULL_MEANS_UNKNOWN);
  const summary = z.union([
    z.looseObject({
      kind: z.literal('gauge'),
      mean: value,
      max: value,
      saturatedShare: value.optional(),
      saturationAt: value.optional(),
    }),
    z.looseObject({ kind: z.literal('counter'), delta: value, perS: value }),
  ]);
  const figure = z.looseObject({ mean: value, max: value });
  return z.looseObject({
    engine: z
      .looseObject({
        samples: count,
        windowMs: value,
        series: z.record(z.string(), summary),
        prefixCacheHitRate: value.optional(),
        kvCacheUsageFrom: z.string().optional(),
      })
      .optional(),
    gpu: z
      .looseObject({
        gpus: count,
        samples: count,
        windowMs: value,
        utilizationPct: figure.optional(),
        memoryUsedMiB: figure.optional(),
        powerW: figure.optional(),
      })
      .optional(),
    problems: z.array(z.string()).optional(),
  });
}

/** Schema of one trial record as journaled. */
export function trialRecordSchema(num: NumberField): z.ZodType<TrialRecord> {
  return trialRecordObject(num);
}

/** The same schema as an object schema, for entries that add fields (the trial entry's `type`). */
export function trialRecordObject(num: NumberField) {
  const value = num(NULL_MEANS_UNKNOWN);
  const metrics = runMetricsSchema(num);
  return z.looseObject({
    number: count,
    params: paramsSchema,
    state: z.enum(['complete', 'failed', 'invalid', 'pruned']),
    values: z.array(num(NULL_MEANS_UNMET)).optional(),
    constraints: z.array(num(NULL_MEANS_UNMET)).optional(),
    failureReason: z.string().optional(),
    phase: z.enum(['baseline', 'search', 'confirm']),
    confirmOf: count.optional(),
    origin: z
      .looseObject({
        kind: z.enum(['defaults', 'initial', 'repair', 'design', 'model', 'grid', 'random']),
        note: z.string().optional(),
      })
      .optional(),
    feasible: z.boolean(),
    objective: z.array(value).optional(),
    metrics: metrics.optional(),
    levels: z.array(z.looseObject({ level: value, metrics })).optional(),
    penalty: num(NULL_MEANS_UNMET).optional(),
    clientLimited: z.array(z.string()).optional(),
    telemetry: telemetrySchema(num).optional(),
    diagnosis: z.array(z.string()).optional(),
    failure: z
      .looseObject({
        reason: failureReason,
        message: z.string(),
        logTail: z.string().optional(),
        exitCode: z.number().int().nullable().optional(),
        errorName: z.string().optional(),
        errorCode: z.string().optional(),
      })
      .optional(),
    screened: z
      .looseObject({
        kind: z.enum(['oom', 'kv-too-small', 'invalid-parallelism', 'context', 'invalid-config']),
        reason: z.string(),
        margin: value,
        predicted: z
          .looseObject({
            usableBytes: value,
            weightBytesPerGpu: value,
            reserveBytesPerGpu: value,
            kvBytesAvailable: value,
            kvBytesNeeded: value,
            kvCapacityTokens: value,
            maxModelLen: value,
            tensorParallel: value,
            pipelineParallel: value,
          })
          .optional(),
      })
      .optional(),
    predicted: metrics.optional(),
    worldSize: count,
    gpuIndices: z.array(count),
    node: z.string().optional(),
    capacityWaits: count.optional(),
    via: z.enum(['pod-ip', 'service', 'port-forward']).optional(),
    startedAt: z.string(),
    gpusHeldAt: z.string().optional(),
    finishedAt: z.string(),
    durationMs: value,
    startupMs: value.optional(),
    kvCapacityTokens: count.optional(),
    benchmarkMs: value.optional(),
    manifest: manifestSchema(num).optional(),
  });
}
