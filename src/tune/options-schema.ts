// The study options schema (zod): one definition shared by tune(), study files (YAML/JSON) and the CLI. Users
// read the options' documentation on TuneOptions (tune-options.ts), which a type check holds equal to this schema.
import { z } from 'zod';
import { ENGINE_FLAVORS } from '../runtimes/runtime-name.js';
import type { TuneOptions } from './tune-options.js';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A token-length distribution: a fixed number or a distribution object. */
export const lengthSchema = z.union([
  positiveInt,
  z.strictObject({ kind: z.literal('fixed'), tokens: positiveInt }),
  z.strictObject({ kind: z.literal('uniform'), min: positiveInt, max: positiveInt }),
  z.strictObject({
    kind: z.literal('normal'),
    mean: z.number().positive(),
    sd: z.number().nonnegative(),
    min: positiveInt.optional(),
    max: positiveInt.optional(),
  }),
]);

const workloadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('synthetic'), inputTokens: lengthSchema, outputTokens: lengthSchema }),
  z.strictObject({
    kind: z.literal('jsonl'),
    path: z.string().min(1),
    outputTokens: lengthSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('sharegpt'),
    path: z.string().min(1),
    outputTokens: lengthSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('shared-prefix'),
    prefixes: positiveInt,
    suffixesPerPrefix: positiveInt,
    prefixTokens: positiveInt,
    suffixTokens: positiveInt,
    outputTokens: lengthSchema,
  }),
]);

const loadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('concurrency'), levels: z.array(positiveInt).min(1) }),
  z.strictObject({
    kind: z.literal('rate'),
    levels: z.array(z.number().positive()).min(1),
    arrival: z.enum(['constant', 'poisson', 'gamma']).default('poisson'),
    burstiness: z.number().positive().optional(),
    maxConcurrency: positiveInt.optional(),
  }),
  z.strictObject({
    kind: z.literal('capacity'),
    by: z.enum(['rate', 'concurrency']).default('concurrency'),
    low: z.number().positive().optional(),
    high: z.number().positive().optional(),
    tolerance: z.number().positive().max(1).default(0.1),
    arrival: z.enum(['constant', 'poisson', 'gamma']).default('poisson'),
  }),
]);

const controllerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local'), stateDir: z.string().min(1).optional() }),
  z.strictObject({
    kind: z.literal('docker'),
    socketPath: z.string().min(1).optional(),
    network: z.enum(['bridge', 'host']).default('bridge'),
    hfCacheDir: z.string().min(1).optional(),
    pull: z.enum(['missing', 'never', 'always']).default('missing'),
    shmSizeMiB: positiveInt.optional(),
  }),
  z.strictObject({
    kind: z.literal('kubernetes'),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label')
      .default('default'),
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    workload: z.enum(['deployment', 'pod']).default('deployment'),
    nodeSelector: z.record(z.string(), z.string()).optional(),
    tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
    affinity: z.record(z.string(), z.unknown()).optional(),
    hfTokenSecret: z.strictObject({ name: z.string().min(1), key: z.string().min(1) }).optional(),
    gpuResource: z
      .string()
      .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]+$/, 'an extended resource name')
      .optional(),
    gpuProduct: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    modelCache: z
      .strictObject({
        claimName: z.string().min(1).optional(),
        hostPath: z.string().min(1).optional(),
        subPath: z.string().min(1).optional(),
        mountPath: z.string().min(1).optional(),
        readOnly: z.boolean().optional(),
      })
      .refine((c) => (c.claimName === undefined) !== (c.hostPath === undefined), {
        message: 'exactly one of claimName or hostPath',
      })
      .optional(),
    shmSizeMiB: positiveInt.optional(),
    endpointMode: z.enum(['pod-ip', 'service', 'port-forward']).optional(),
    serviceAccountName: z.string().min(1).optional(),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  }),
]);

/** Speed-up of the simulated engine over real time when `sim.timeScale` is not given (figures are scaled back). */
export const DEFAULT_SIM_TIME_SCALE = 10;

/** Schema of the options of tune() / study() and of study files. */
export const tuneOptionsSchema = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  runtime: z.string().min(1).default('sim'),
  model: z.string().min(1),
  engine: z.enum(ENGINE_FLAVORS).optional(),
  sim: z
    .strictObject({
      gpu: z.string().min(1).default('h100'),
      numGpus: positiveInt.default(8),
      timeScale: z.number().positive().default(DEFAULT_SIM_TIME_SCALE),
      noiseCv: z.number().min(0).max(1).optional(),
      startupCrashRate: z.number().min(0).max(1).optional(),
    })
    .optional(),
  image: z.string().min(1).optional(),
  /** Container entrypoint for an `image` that keeps the engine elsewhere than the runtime's default image. */
  entrypoint: z.array(z.string().min(1)).min(1).optional(),
  binary: z.string().min(1).optional(),
  modelPath: z.string().min(1).optional(),
  extraArgs: z.array(z.string()).default([]),
  fixedParams: z.record(z.string(), scalar).default({}),
  presets: z.array(z.string().min(1)).default([]),
  env: z.record(z.string(), z.string()).default({}),
  hfToken: z.string().min(1).optional(),
  controller: controllerSchema.default({ kind: 'local' }),
  /** `probe`, `none`, or a static inventory validated by the gpu module (normalizeStaticGpus). */
  gpus: z.union([z.enum(['probe', 'none']), z.array(z.unknown()).min(1)]).optional(),
  /** Validated by the search module (normalizeSpace). */
  space: z.record(z.string(), z.unknown()).optional(),
  constraints: z.array(z.unknown()).default([]),
  strategy: z
    .union([
      z.enum(['auto', 'bayes', 'grid', 'random', 'lhs']),
      z.strictObject({
        name: z.enum(['auto', 'bayes', 'grid', 'random', 'lhs']),
        initial: z.array(z.record(z.string(), scalar)).optional(),
        useDefaults: z.boolean().optional(),
        initialDesignSize: positiveInt.optional(),
        stopPatience: positiveInt.optional(),
        sloRepair: z.boolean().optional(),
        analyticPrior: z.boolean().optional(),
      }),
    ])
    .default('auto'),
  budget: z
    .strictObject({ maxTrials: positiveInt.max(10_000).default(20), maxWallTimeMs: positiveInt.optional() })
    .default({ maxTrials: 20 }),
  workload: workloadSchema.default({ kind: 'synthetic', inputTokens: 512, outputTokens: 128 }),
  load: loadSchema.default({ kind: 'concurrency', levels: [16] }),
  benchmark: z
    .strictObject({
      api: z.enum(['completions', 'chat']).default('completions'),
      requests: positiveInt.default(100),
      durationMs: positiveInt.optional(),
      warmupRequests: nonNegativeInt.default(4),
      requestTimeoutMs: positiveInt.default(120_000),
    })
    .default({ api: 'completions', requests: 100, warmupRequests: 4, requestTimeoutMs: 120_000 }),
  /** Validated by the slo module (sloSpecProblems). */
  slo: z.unknown().optional(),
  /** Validated by the slo module (objectiveSpecProblems). */
  objective: z.unknown().default('maximize_throughput'),
  timeouts: z
    .strictObject({ startupMs: positiveInt.default(600_000), trialMs: positiveInt.default(1_800_000) })
    .default({ startupMs: 600_000, trialMs: 1_800_000 }),
  confirm: z
    .strictObject({ top: nonNegativeInt.default(2), repeats: nonNegativeInt.default(2) })
    .default({ top: 2, repeats: 2 }),
  maxParallelTrials: positiveInt.max(256).optional(),
  /**
   * How many times a trial waiting for GPUs may be overtaken by later, smaller trials that fit the free GPUs
   * (0: strict arrival order). @default the number of GPUs
   */
  maxOvertakes: nonNegativeInt.optional(),
  /** Host-wide GPU leases shared with the other study processes of the host (see HostGpuLeases). */
  gpuLeases: z
    .strictObject({ enabled: z.boolean().default(true), dir: z.string().min(1).optional() })
    .default({ enabled: true }),
  pruning: z.boolean().default(true),
  /** GPU engines: configurations the analytic model predicts cannot start, beyond `margin` of device memory. */
  screening: z
    .strictObject({
      enabled: z.boolean().default(true),
      margin: z.number().min(0).max(1).default(0.1),
    })
    .default({ enabled: true, margin: 0.1 }),
  /** Launch lines that failed to start and measured figures, kept across studies of one engine, model and GPU. */
  outcomeStore: z
    .strictObject({ enabled: z.boolean().default(true), dir: z.string().min(1).optional() })
    .default({ enabled: true }),
  /** A journal of an earlier study whose best configurations are tried first and whose start failures are skipped. */
  warmStart: z.string().min(1).optional(),
  /** What the engine (its /metrics) and the trial's NVIDIA GPUs do during each benchmark, and raw records. */
  telemetry: z
    .strictObject({
      enabled: z.boolean().default(true),
      intervalMs: z.number().int().min(100).max(60_000).default(1_000),
      gpus: z.boolean().default(true),
      writeRecords: z.boolean().default(false),
    })
    .default({ enabled: true, intervalMs: 1_000, gpus: true, writeRecords: false }),
  /** Measure the engine with none of the tuned flags first, for the comparison with the defaults. */
  baseline: z.boolean().default(true),
  journal: z.string().min(1).optional(),
  seed: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 32 - 1)
    .default(0),
});

/** Options as a user writes them (before defaults): TuneOptions, documented field by field and checked against this schema. */
export type TuneOptionsInput = TuneOptions;
/** Options after validation and defaults. */
export type ParsedTuneOptions = z.output<typeof tuneOptionsSchema>;
