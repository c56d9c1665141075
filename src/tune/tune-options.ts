// The options of tune() / study() as users write them, documented field by field. The zod schema in
// options-schema.ts validates them; the type check at the end of this file keeps the two identical.
import type { z } from 'zod';
import type { EngineFlavor } from '../parallelism/engine-flavor.js';
import type { tuneOptionsSchema } from './options-schema.js';

/** A token length: a fixed count, or a distribution drawn per request with the study's seed. */
export type TokenLengthOption =
  | number
  | { kind: 'fixed'; tokens: number }
  | { kind: 'uniform'; min: number; max: number }
  | {
      kind: 'normal';
      mean: number;
      /** Standard deviation in tokens. */
      sd: number;
      /** Draws below are clipped to it. @default 1 */
      min?: number | undefined;
      /** Draws above are clipped to it. @default unbounded */
      max?: number | undefined;
    };

/** Random prompts of a given length (no dataset needed). */
export interface SyntheticWorkloadOption {
  kind: 'synthetic';
  /** Prompt length in tokens. */
  inputTokens: TokenLengthOption;
  /** Output length in tokens, forced with `max_tokens` and `ignore_eos`. */
  outputTokens: TokenLengthOption;
}

/** Prompts from a dataset file: `.jsonl` is read as JSON lines (`prompt` per line), anything else as ShareGPT. */
export interface JsonlWorkloadOption {
  kind: 'jsonl';
  /** File to read. */
  path: string;
  /** Output length of lines that give none (`output_tokens`, `max_tokens` or `output_len`). @default 128 */
  outputTokens?: TokenLengthOption | undefined;
}

/** The first turns of a ShareGPT conversation dump. */
export interface ShareGptWorkloadOption {
  kind: 'sharegpt';
  /** ShareGPT JSON file to read. */
  path: string;
  /** Output length of conversations whose reply is empty (otherwise the reply's length). @default 128 */
  outputTokens?: TokenLengthOption | undefined;
}

/** Prompts sharing long prefixes (system prompts, few-shot examples), for prefix caching. */
export interface SharedPrefixWorkloadOption {
  kind: 'shared-prefix';
  /** Distinct prefixes. */
  prefixes: number;
  /** Prompts per prefix. */
  suffixesPerPrefix: number;
  /** Length of each prefix in tokens. */
  prefixTokens: number;
  /** Length of each suffix in tokens. */
  suffixTokens: number;
  /** Output length in tokens. */
  outputTokens: TokenLengthOption;
}

/** What the benchmark sends. */
export type WorkloadOption =
  | SyntheticWorkloadOption
  | JsonlWorkloadOption
  | ShareGptWorkloadOption
  | SharedPrefixWorkloadOption;

/** Closed-loop load: a fixed number of requests in flight. */
export interface ConcurrencyLoadOption {
  kind: 'concurrency';
  /** Concurrency levels, each measured in turn. */
  levels: number[];
}

/** Open-loop load: requests arrive at a rate, whether or not earlier ones finished. */
export interface RateLoadOption {
  kind: 'rate';
  /** Request rates (requests/s), each measured in turn. */
  levels: number[];
  /** Arrival process. @default 'poisson' */
  arrival?: 'constant' | 'poisson' | 'gamma' | undefined;
  /** Gamma shape: below 1 burstier than Poisson, above 1 more regular. @default 1 */
  burstiness?: number | undefined;
  /** Cap on requests in flight. @default unbounded */
  maxConcurrency?: number | undefined;
}

/** Capacity search: the highest rate or concurrency at which the SLO still holds, per trial. */
export interface CapacityLoadOption {
  kind: 'capacity';
  /** What the search raises. @default 'concurrency' */
  by?: 'rate' | 'concurrency' | undefined;
  /** Level of the first probe, and the lowest tried. @default 1 */
  low?: number | undefined;
  /** Highest level tried. @default 100_000 */
  high?: number | undefined;
  /** Relative width of the final bracket. @default 0.1 */
  tolerance?: number | undefined;
  /** Arrival process when searching by rate. @default 'poisson' */
  arrival?: 'constant' | 'poisson' | 'gamma' | undefined;
}

/** How load is offered in each trial. */
export type LoadOption = ConcurrencyLoadOption | RateLoadOption | CapacityLoadOption;

/** Engines as local processes. */
export interface LocalControllerOption {
  kind: 'local';
  /** Where the process registry and server logs live. @default `<os.tmpdir()>/inference-autotuner-<uid>` */
  stateDir?: string | undefined;
}

/** Engines as Docker containers. */
export interface DockerControllerOption {
  kind: 'docker';
  /** Docker daemon socket. @default DOCKER_HOST, else the local socket */
  socketPath?: string | undefined;
  /** `bridge` publishes the engine port on 127.0.0.1; `host` shares the host's network. @default 'bridge' */
  network?: 'bridge' | 'host' | undefined;
  /** Hugging Face cache on the host, mounted into every container. @default none */
  hfCacheDir?: string | undefined;
  /** When to pull the image. @default 'missing' */
  pull?: 'missing' | 'never' | 'always' | undefined;
  /** Shared memory of each container in MiB. @default the runtime's (32 GiB for SGLang, else Docker's) */
  shmSizeMiB?: number | undefined;
}

/** Engines as Kubernetes Deployments or Pods; the cluster schedules the GPUs. */
export interface KubernetesControllerOption {
  kind: 'kubernetes';
  /** Namespace of everything the study starts. @default 'default' */
  namespace?: string | undefined;
  /** Kubeconfig file. @default KUBECONFIG, ~/.kube/config or in-cluster */
  kubeconfig?: string | undefined;
  /** Kubeconfig context. @default the current context */
  context?: string | undefined;
  /** Run each engine as a one-replica Deployment or a bare Pod. @default 'deployment' */
  workload?: 'deployment' | 'pod' | undefined;
  /** Node labels the engine pods must match. @default none */
  nodeSelector?: Record<string, string> | undefined;
  /** Tolerations of the engine pods (Kubernetes `V1Toleration` objects). @default none */
  tolerations?: Record<string, unknown>[] | undefined;
  /** Node affinity and the like of the engine pods (a Kubernetes `V1Affinity`). @default none */
  affinity?: Record<string, unknown> | undefined;
  /** Existing Secret holding the Hugging Face token. @default none (`hfToken` is passed as a Secret env) */
  hfTokenSecret?: { name: string; key: string } | undefined;
  /** Extended resource every pod requests its world size of (e.g. `amd.com/gpu`). @default 'nvidia.com/gpu' */
  gpuResource?: string | undefined;
  /** GPU product(s) required, by the node's `nvidia.com/gpu.product` label. @default any */
  gpuProduct?: string | string[] | undefined;
  /**
   * PersistentVolumeClaim (`claimName`) or node directory (`hostPath`) with the model and the Hugging Face cache,
   * mounted read-only at `mountPath` (default `/models`, `HF_HOME` there) in every engine pod. @default none
   */
  modelCache?:
    | {
        claimName?: string | undefined;
        hostPath?: string | undefined;
        subPath?: string | undefined;
        mountPath?: string | undefined;
        readOnly?: boolean | undefined;
      }
    | undefined;
  /** Memory-backed /dev/shm of each pod in MiB. @default the runtime's (32 GiB for SGLang), else 2 GiB */
  shmSizeMiB?: number | undefined;
  /**
   * How the tuner reaches the engines: `service` or `pod-ip` straight inside the cluster, `port-forward` through
   * the API server (adds latency to every TTFT and ITL sample and caps throughput). @default 'service' inside a
   * cluster, 'port-forward' outside
   */
  endpointMode?: 'pod-ip' | 'service' | 'port-forward' | undefined;
  /** ServiceAccount of the engine pods. @default the namespace's default */
  serviceAccountName?: string | undefined;
  /** Image pull policy of the engine pods. @default Kubernetes' own (IfNotPresent unless the tag is latest) */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never' | undefined;
}

/** Where the engines run. */
export type ControllerOption = LocalControllerOption | DockerControllerOption | KubernetesControllerOption;

/** Names of the search strategies (`auto` is the constrained Bayesian strategy). */
export type StrategyName = 'auto' | 'bayes' | 'grid' | 'random' | 'lhs';

/** A search strategy with its settings. */
export interface StrategyOption {
  name: StrategyName;
  /** Configurations measured first (known-good settings), after the engine defaults. @default [] */
  initial?: Record<string, string | number | boolean>[] | undefined;
  /** Measure the engine's defaults first. @default true */
  useDefaults?: boolean | undefined;
  /** Trials before the model takes over from the space-filling start. @default 6 */
  initialDesignSize?: number | undefined;
  /** Stop after this many trials without improvement. @default 8 */
  stopPatience?: number | undefined;
  /** Repair a broken SLO along the knobs known to lower the broken metric before exploring. @default true */
  sloRepair?: boolean | undefined;
  /**
   * vLLM and SGLang studies with the analytic model: its predictions of the objective and the SLO are the
   * search's prior (the start tries what it ranks best under the SLO; the surrogates learn its bias from the
   * measured trials). On by default where the model is available: on generated problems with a model off by
   * up to 30% the first feasible configuration comes at a median of trial 1 instead of 3 with screening alone
   * (BENCHMARKS.md); `false` searches without it (screening still applies). @default true
   */
  analyticPrior?: boolean | undefined;
}

/** The simulated hardware of a `sim` study. */
export interface SimOption {
  /** Simulated GPU, a catalogue name. @default 'h100' */
  gpu?: string | undefined;
  /** Virtual GPUs the study may lease. @default 8 */
  numGpus?: number | undefined;
  /**
   * Speed-up over real time: the simulated engine runs this many times faster, and every latency and rate is
   * scaled back, so figures read in simulated real time. @default 10
   */
  timeScale?: number | undefined;
  /** Step-time noise of the simulated engine (coefficient of variation). @default 0.05 */
  noiseCv?: number | undefined;
  /** Share of simulated launches that crash during start-up. @default 0 */
  startupCrashRate?: number | undefined;
}

/** How many search trials and how long. */
export interface BudgetOption {
  /** Search trials (baseline and confirmation runs come on top). @default 20 */
  maxTrials?: number | undefined;
  /** Wall time after which no new trial starts. @default unbounded */
  maxWallTimeMs?: number | undefined;
}

/** How each load level is measured. */
export interface BenchmarkOption {
  /** OpenAI API used: `/v1/completions` or `/v1/chat/completions`. @default 'completions' */
  api?: 'completions' | 'chat' | undefined;
  /** Measured requests per load level. @default 100 */
  requests?: number | undefined;
  /** Stop a level after this long even if requests remain. @default unbounded */
  durationMs?: number | undefined;
  /** Requests sent before measuring, excluded from the metrics. @default 4 */
  warmupRequests?: number | undefined;
  /** A request taking longer fails. @default 120_000 */
  requestTimeoutMs?: number | undefined;
}

/** Sampling during each benchmark. */
export interface TelemetryOption {
  /** Scrape the engine's /metrics while the measured phase runs. @default true */
  enabled?: boolean | undefined;
  /** Time between samples (100 to 60_000 ms). @default 1_000 */
  intervalMs?: number | undefined;
  /** Also sample the trial's GPUs with nvidia-smi (NVIDIA hosts, GPU engines only). @default true */
  gpus?: boolean | undefined;
  /**
   * Write each level's per-request records as JSONL in `<journal>.records/trial-<n>-level-<level>.jsonl`.
   * @default false
   */
  writeRecords?: boolean | undefined;
}

/** Time limits of a trial. */
export interface TimeoutsOption {
  /** Launch until ready (image pull and model load included). @default 600_000 */
  startupMs?: number | undefined;
  /** Whole trial, start-up included. @default 1_800_000 */
  trialMs?: number | undefined;
}

/**
 * Re-measuring the best configurations before choosing the winner. The engine defaults (the baseline) are
 * re-measured as often, interleaved with them; with 2 or more repeats the comparison with the defaults has an
 * interval, and a winner that does not beat them beyond noise is not recommended.
 */
export interface ConfirmOption {
  /** Configurations re-measured (0: none). @default 2 */
  top?: number | undefined;
  /** Extra runs of each, and of the engine defaults (0: none). @default 2 */
  repeats?: number | undefined;
}

/** `outcomeStore`: what studies of one engine, model and GPU remember across studies. */
export interface OutcomeStoreOption {
  /** Skip launch lines that failed to start before (out of memory, a refused flag) and record new outcomes. @default true */
  enabled?: boolean | undefined;
  /** Folder of the store files. @default `$XDG_CACHE_HOME/inference-autotuner/outcomes` (else `~/.cache/...`) */
  dir?: string | undefined;
}

/** GPU leases every study process on the host sees. */
export interface GpuLeasesOption {
  /** Take a lease file for every GPU a trial holds, and wait for GPUs other processes hold. @default true */
  enabled?: boolean | undefined;
  /**
   * The shared directory of lease files, one per GPU. @default `$AUTOTUNE_GPU_LEASES_DIR`, else
   * `<os temp dir>/inference-autotuner/gpu-leases`
   */
  dir?: string | undefined;
}

/** Screening of configurations the analytic model predicts cannot start (vLLM, SGLang). */
export interface ScreeningOption {
  /** Screen at all. @default true */
  enabled?: boolean | undefined;
  /**
   * Fraction of device memory the model may be wrong by: a configuration is screened for memory only when it
   * would fail even on a GPU with (1 + margin) times the memory. @default 0.1
   */
  margin?: number | undefined;
}

// A type literal rather than an interface, so that it stays assignable to Record<string, unknown>.
/** Options of tune(), study() and study files. Only `model` is required. */
export type TuneOptions = {
  /** Study id: labels on servers, the journal name. @default derived from the options */
  name?: string | undefined;
  /** Engine: `vllm`, `sglang`, `llamacpp`, the simulated engine `sim`, or a runtime passed to the study. @default 'sim' */
  runtime?: string | undefined;
  /** Model id or path; for `sim` a catalogue name such as `llama-3.1-8b` or `qwen2.5-72b`. */
  model: string;
  /** `sim` only: whose flags and scheduler the simulator imitates. @default 'vllm' */
  engine?: EngineFlavor | undefined;
  /** `sim` only: simulated GPU, virtual GPU count, speed-up, noise, crash rate. @default { gpu: 'h100', numGpus: 8, timeScale: 10 } */
  sim?: SimOption | undefined;
  /** Container image. @default the runtime's */
  image?: string | undefined;
  /** Container entrypoint, for an `image` that keeps the engine elsewhere than the runtime's image. @default the runtime's */
  entrypoint?: string[] | undefined;
  /** Local executable of the engine. @default the runtime's */
  binary?: string | undefined;
  /** Local model (folder or `.gguf`), mounted read-only into containers. @default none */
  modelPath?: string | undefined;
  /**
   * Raw arguments appended to every launch; flags the engine registry does not know pass, but the host, port,
   * model, and flags the fixed parameters, presets or space already set are refused. @default []
   */
  extraArgs?: string[] | undefined;
  /** Engine flags set on every trial (validated against the engine; left out of the default space). @default {} */
  fixedParams?: Record<string, string | number | boolean> | undefined;
  /** Presets applied to every trial, such as `fp8` or `tp2`. @default [] */
  presets?: string[] | undefined;
  /** Environment of the engine; secret-looking keys are redacted everywhere. @default {} */
  env?: Record<string, string> | undefined;
  /** Hugging Face token, passed to the engine as a secret and always redacted. @default none */
  hfToken?: string | undefined;
  /** Where engines run: local processes, Docker containers or Kubernetes. @default { kind: 'local' } */
  controller?: ControllerOption | undefined;
  /**
   * `'probe'`, `'none'`, or a static inventory `[{ index, memoryTotalMiB, ... }]`; an engine on GPUs with none to
   * lease is refused before the study starts. @default probe (`sim`: virtual)
   */
  gpus?: 'probe' | 'none' | unknown[] | undefined;
  /** Parameters to tune: `[values]`, `{ low, high, step, log }`, booleans, conditions, `lowers` hints. @default the runtime's default space */
  space?: Record<string, unknown> | undefined;
  /** Relations between parameters (declarative or predicates). @default [] */
  constraints?: unknown[] | undefined;
  /** Search strategy, by name or with settings. @default 'auto' */
  strategy?: StrategyName | StrategyOption | undefined;
  /** Search trials and optional wall time. @default { maxTrials: 20 } */
  budget?: BudgetOption | undefined;
  /** What the benchmark sends. @default { kind: 'synthetic', inputTokens: 512, outputTokens: 128 } */
  workload?: WorkloadOption | undefined;
  /** Concurrency levels, request rates, or a capacity search. @default { kind: 'concurrency', levels: [16] } */
  load?: LoadOption | undefined;
  /** API, request count or duration, warm-up and per-request timeout. @default { api: 'completions', requests: 100, warmupRequests: 4, requestTimeoutMs: 120_000 } */
  benchmark?: BenchmarkOption | undefined;
  /**
   * SLO (an `SloSpec`): terms `{ metric: ttft/tpot/itl/e2e, stat: mean/p50/p90/p95/p99, maxMs, weight, hardFail,
   * failRatio }`, `maxErrorRate`, `steepness`. @default none
   */
  slo?: unknown;
  /**
   * What to optimise (an `ObjectiveSpec`): the original autotuner's names, or `{ kind: throughput/goodput/latency/
   * cost/weighted }`; a list for multi-objective. @default 'maximize_throughput'
   */
  objective?: unknown;
  /** Start-up and whole-trial time limits. @default { startupMs: 600_000, trialMs: 1_800_000 } */
  timeouts?: TimeoutsOption | undefined;
  /** Re-measure the best configurations before choosing the winner. @default { top: 2, repeats: 2 } */
  confirm?: ConfirmOption | undefined;
  /**
   * Trials at once; each waits for its GPUs in the pool. @default the number of GPUs (on Kubernetes the GPUs of
   * the nodes its pods may use; 1 for CPU engines and `sim` without a declared `gpus` list)
   */
  maxParallelTrials?: number | undefined;
  /**
   * How many times a trial waiting for GPUs may be overtaken by later, smaller trials that fit the free GPUs
   * (`0`: strict arrival order). @default the number of GPUs
   */
  maxOvertakes?: number | undefined;
  /**
   * Leases of GPUs (probed or a static inventory) visible to every study process on this host: a GPU another
   * study holds is waited for, a lease of a process that died is taken back. @default { enabled: true }
   */
  gpuLeases?: GpuLeasesOption | undefined;
  /** Stop a search trial's benchmark, or a capacity-search probe, once its SLO is lost beyond doubt. @default true */
  pruning?: boolean | undefined;
  /**
   * vLLM and SGLang: the analytic model (from the model's config.json and the GPUs' names) predicts which
   * configurations cannot start; one is screened only when it would fail even with `margin` (a fraction of device
   * memory) more memory, so model error does not throw away configurations that would start. `--dry-run` lists
   * them; a study records them as screened without launching them. @default { enabled: true, margin: 0.1 }
   */
  screening?: ScreeningOption | undefined;
  /**
   * Engines that launch (not the simulator): a file per engine, engine version, model and GPU under the user's
   * cache directory keeps the launch lines that failed to start (out of memory, a refused flag), which later
   * studies do not launch again, and the figures of those that ran. A file of another engine version is never
   * read for this one; a foreign or corrupted file is ignored with a warning. @default { enabled: true }
   */
  outcomeStore?: OutcomeStoreOption | undefined;
  /**
   * Journal of an earlier study of the same engine and model: its best feasible configurations (re-scored under
   * this study's objective and SLO, those in this space) are tried first by the Bayesian strategy, and its launch
   * lines that failed to start are not launched again. @default none
   */
  warmStart?: string | undefined;
  /**
   * Samples the engine's Prometheus /metrics (its metrics flag is set for engines that need one) and, on hosts
   * with NVIDIA GPUs, the trial's GPUs through one nvidia-smi process while each benchmark runs; summaries and a
   * short diagnosis go on the trial record. `writeRecords` writes each level's raw request records beside the
   * journal. @default { enabled: true, intervalMs: 1_000, gpus: true, writeRecords: false }
   */
  telemetry?: TelemetryOption | undefined;
  /** Measure the engine with none of the tuned flags first, for the comparison with the defaults. @default true */
  baseline?: boolean | undefined;
  /** Append-only record of every trial; resume reads it. @default `.autotune/<name>.jsonl` */
  journal?: string | undefined;
  /** Same seed and history, same suggestions. @default 0 */
  seed?: number | undefined;
};

// Exact type equality (mutual assignability is not enough: it misses extra optional fields).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// Fails to compile when TuneOptions and the schema's input type drift apart.
type Assert<T extends true> = T;
export type TuneOptionsMatchSchema = Assert<Equal<TuneOptions, z.input<typeof tuneOptionsSchema>>>;
