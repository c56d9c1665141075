// What a runtime adapter knows about one engine: command, image, readiness, metrics, flags.
import type { KvPool } from '../benchmark/slots-kv-usage.js';
import type { ReadinessSpec } from '../controllers/types.js';
import type { FlagRegistry } from './registry.js';
import type { EngineFlavor } from './runtime-name.js';

/** Prometheus metric names an engine exports (names differ per engine and version). */
export interface EngineMetricNames {
  /** HTTP path of the Prometheus endpoint. */
  path: string;
  /** Flag that must be set for the endpoint to exist, when it is off by default. */
  enableFlag?: string;
  /** Gauge: requests being decoded now. */
  running: string;
  /** Gauge: requests queued, not yet scheduled. */
  waiting: string;
  /** Gauge: KV cache usage (0..1). */
  kvCacheUsage: string;
  /** Counter: prompt tokens processed. */
  promptTokens: string;
  /** Counter: generated tokens. */
  generationTokens: string;
  /** Counter: requests preempted (vLLM) or retracted (SGLang) to free KV cache. */
  preemptions?: string;
  /** Counter: prompt tokens served from the prefix cache. */
  prefixCacheHits?: string;
  /** Counter: prompt tokens looked up in the prefix cache; without it hits are set against hits + promptTokens. */
  prefixCacheQueries?: string;
  /** Gauge: the engine's own prefix-cache hit rate (0..1). */
  prefixCacheHitRate?: string;
  /** Further series the engine offers under its own names, kept by those names. */
  extra?: ReadonlyArray<{ metric: string; kind: 'gauge' | 'counter' }>;
  /**
   * Where KV usage comes from when the metrics page lacks `kvCacheUsage` (llama-server builds that dropped the
   * gauge): a JSON page of slots, read in the same loop, and whether the launch shares one KV pool between them.
   */
  kvUsageFromSlots?: {
    path: string;
    pool(args: readonly string[], env: Readonly<Record<string, string>>): KvPool;
  };
}

/** How to ask a running server which build it is: GET each path in turn, read the JSON answer. */
export interface EngineVersionProbe {
  paths: readonly string[];
  /** The version in the answer's JSON, or undefined when it holds none. */
  read(body: unknown): string | undefined;
}

/**
 * How to ask a started engine the size of the KV cache it allocated, in tokens of one replica: GET each path in
 * turn, read the answer's text (a Prometheus page or a JSON document).
 */
export interface KvCapacityProbe {
  paths: readonly string[];
  /** The capacity in tokens the answer states, or undefined when it states none. */
  read(text: string): number | undefined;
}

/** A search-space entry as plain data: a list of values or a numeric range. */
export type SpaceEntry = (
  | { values: readonly (string | number | boolean)[] }
  | { low: number; high: number; step?: number; log?: boolean }
) & {
  /** Tuned only while the named parameters hold one of the listed values. */
  when?: Readonly<Record<string, readonly (string | number | boolean)[]>>;
};

/** A search space as plain data, keyed by parameter name. */
export type SpaceData = Record<string, SpaceEntry>;

/** What an engine runs on and what a study can know of it without a launch; the study asks these, never the name. */
export interface RuntimeTraits {
  /**
   * `gpu`: runs on the GPUs it is given (its world size of them); `gpu-or-cpu`: spreads over every GPU it is
   * given and runs on the host's CPUs with none (llama.cpp); `simulated`: imitates GPUs it never touches (a
   * study without a declared inventory gets virtual ones, and its containers request no device).
   */
  readonly devices: 'gpu' | 'gpu-or-cpu' | 'simulated';
  /** The analytic model can score its configurations without launching anything (estimate mode). */
  readonly analyticModel: boolean;
  /** `catalogue`: the model is a name from the simulator's model catalogue; `any`: a repo id or a path. */
  readonly models: 'catalogue' | 'any';
}

/** Static facts about one engine (one adapter per runtime; the sim adapter imitates a flavour). */
export interface RuntimeAdapter {
  /** The runtime's name in study options (`vllm`, `sglang`, `llamacpp`, `sim` for the bundled ones). */
  readonly name: string;
  readonly traits: RuntimeTraits;
  /** Engine whose flag spellings are used (the sim's imitated engine). */
  readonly flavor: EngineFlavor;
  /** Flags this adapter accepts, with the engine version they belong to. */
  readonly registry: FlagRegistry;
  /** Executable for local launches. */
  readonly command: string;
  /** Arguments that precede the model and the flags (e.g. `serve`, `-m sglang.launch_server`). */
  readonly commandArgs: readonly string[];
  /**
   * How a person starts the engine on a host, before the model and flags (the argv export), when `command` is
   * specific to this installation (an absolute path). @default [command, ...commandArgs]
   */
  readonly hostCommand?: readonly string[];
  /** Container image used when none is given. */
  readonly defaultImage: string;
  /**
   * Set when `defaultImage` is built on the host rather than pulled from a registry: how to build it. Exports of a
   * study that ran no container then name a placeholder with this hint, never an image the reader cannot pull.
   */
  readonly localImageBuild?: string;
  /** The image for a launch on this many GPUs when it differs from `defaultImage` (a CUDA build, a CPU build). */
  imageFor?(gpuCount: number): string;
  /** Shared memory and IPC mode its containers need unless the launch says otherwise. @default {} */
  readonly containerDefaults?: { shmSizeBytes?: number; ipcMode?: string };
  /** Entrypoint inside the default image, including `commandArgs` (container args are the model and flags). */
  readonly containerEntrypoint: readonly string[];
  /** Port the engine listens on inside a container. */
  readonly containerPort: number;
  readonly portFlag: string;
  readonly hostFlag: string;
  /** Readiness: paths polled and the start-up budget. */
  readonly readiness: ReadinessSpec;
  /** What the readiness paths answer while loading, for humans and docs. */
  readonly readinessNotes: string;
  readonly metrics: EngineMetricNames;
  /** How the running engine reports its version, when it does. */
  readonly versionProbe?: EngineVersionProbe;
  /** How the started engine reports its KV cache capacity, when it does. */
  readonly kvCapacityProbe?: KvCapacityProbe;
  /** Canonical flags the adapter sets itself (model, host, port): refused in params. */
  readonly reservedFlags: readonly string[];
  /** Arguments that name the model (e.g. `['--model-path', model]`). */
  modelArgs(model: string): string[];
  /** Knobs worth tuning with sensible ranges. */
  defaultSearchSpace(): SpaceData;
}
