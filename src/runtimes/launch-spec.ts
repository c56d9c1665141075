// From a configuration and a GPU lease to everything a controller needs to start the engine.
import { posix } from 'node:path';
import { cudaVisibleDevices } from '../controllers/env.js';
import type { LaunchSpec, VolumeMount } from '../controllers/types.js';
import { InvalidOptionError } from '../errors.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import { registerSecret } from '../util/redact.js';
import { buildCliArgs } from './cli-args.js';
import { ENGINE_CONCEPTS } from './engine-concepts.js';
import { normalizeParamName } from './param-name.js';
import type { RuntimeAdapter } from './runtime-adapter.js';
import type { RuntimeName } from './runtime-name.js';
import { toAdapter } from './runtimes.js';

/** Where the model files live inside containers. */
export const CONTAINER_MODEL_DIR = '/models';
/** Where the Hugging Face cache is mounted inside containers. */
export const CONTAINER_HF_CACHE = '/root/.cache/huggingface';

/** Options of launchSpec. */
export interface LaunchSpecOptions {
  runtime: RuntimeName | RuntimeAdapter;
  /** Model to serve: a Hugging Face repo id, a path, or a simulator catalogue name; `modelPath` wins when set. */
  model?: string;
  /** Host path of a local model (a directory, or a `.gguf` file); mounted read-only into containers. */
  modelPath?: string;
  studyId: string;
  trialId: string;
  /** Local process, or a container (Docker, Kubernetes) whose controller maps the GPUs itself. @default 'local' */
  target?: 'local' | 'container';
  /** Hugging Face token: goes to `secretEnv.HF_TOKEN`, never to the arguments. */
  hfToken?: string;
  /** Host Hugging Face cache: mounted into containers, `HF_HOME` for local processes. */
  hfCacheDir?: string;
  /** Local executable instead of the runtime's (e.g. `/opt/venv/bin/vllm`). @default the runtime's command */
  command?: string;
  /** Arguments appended verbatim after the validated flags (not validated). @default [] */
  extraArgs?: string[];
  /** Container image. @default the runtime's image (llama.cpp: the CUDA build when GPUs are leased) */
  image?: string;
  /** Container entrypoint. @default the runtime's entrypoint for its default image */
  entrypoint?: string[];
  /** Extra plain environment variables. */
  env?: Record<string, string>;
  /** Name the API serves the model under (`--served-model-name`, llama.cpp `--alias`). */
  servedModelName?: string;
  /** Turn on the engine's Prometheus endpoint when it is off by default. @default false */
  enableMetrics?: boolean;
  /** Start-up budget. @default the runtime's (vLLM/SGLang 900 s, llama.cpp 300 s, sim 60 s) */
  readinessTimeoutMs?: number;
  /** Shared memory for containers. @default 32 GiB for SGLang, unset otherwise */
  shmSizeBytes?: number;
  /** IPC mode for containers. @default `host` for vLLM, unset otherwise */
  ipcMode?: string;
  /** Simulated engine knobs (flags of inference-sim); the GPU defaults to the catalogue entry of the first leased GPU. */
  sim?: {
    gpu?: string;
    /** @default the number of leased GPUs, else what the parallel layout needs */
    numGpus?: number;
    seed?: number;
    timeScale?: number;
    noiseCv?: number;
    loadTimeScale?: number;
    startupCrashRate?: number;
    crashAfterRequests?: number;
  };
  labels?: Record<string, string>;
  cwd?: string;
}

// The model argument and its mount: a `.gguf` file is mounted through its directory.
function modelLocation(
  options: LaunchSpecOptions,
  container: boolean,
): { model: string; volume?: VolumeMount } {
  const { modelPath } = options;
  if (modelPath === undefined) {
    if (!options.model) throw new InvalidOptionError('model', options.model, 'a model name or a modelPath');
    return { model: options.model };
  }
  if (!container) return { model: modelPath };
  const clean = modelPath.replace(/\/+$/, '');
  const isFile = /\.gguf$/i.test(clean);
  const hostPath = isFile ? posix.dirname(clean) : clean;
  const mounted = posix.join(CONTAINER_MODEL_DIR, posix.basename(hostPath));
  return {
    model: isFile ? posix.join(mounted, posix.basename(clean)) : mounted,
    volume: { hostPath, containerPath: mounted, readOnly: true },
  };
}

// Launch-option parameters yield to parameters the caller gave under any spelling.
function withDefaults(
  params: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const given = new Set(Object.keys(params).map(normalizeParamName));
  const out = { ...params };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined && !given.has(normalizeParamName(key))) out[key] = value;
  }
  return out;
}

/**
 * Builds the LaunchSpec of one trial: engine arguments (validated; throws InvalidParameterError),
 * environment with CUDA_VISIBLE_DEVICES for local launches, the HF token as a secret, model and cache
 * volumes, image, shared memory, readiness and port/host flags (the controller appends those).
 */
export function launchSpec(
  params: Record<string, unknown>,
  gpus: readonly GpuInfo[],
  options: LaunchSpecOptions,
): LaunchSpec {
  const adapter = toAdapter(options.runtime);
  const container = (options.target ?? 'local') === 'container';
  const { model, volume } = modelLocation(options, container);
  const extra: Record<string, unknown> = {};
  if (options.enableMetrics && adapter.metrics.enableFlag) extra[adapter.metrics.enableFlag] = true;
  const nameFlag = ENGINE_CONCEPTS['served model name']?.[adapter.flavor]?.flag;
  if (options.servedModelName && nameFlag) extra[nameFlag] = options.servedModelName;
  const simArgs: string[] = [];
  if (adapter.traits.devices === 'simulated') {
    extra['--seed'] = options.sim?.seed;
    extra['--time-scale'] = options.sim?.timeScale;
    extra['--noise-cv'] = options.sim?.noiseCv;
    extra['--load-time-scale'] = options.sim?.loadTimeScale;
    extra['--startup-crash-rate'] = options.sim?.startupCrashRate;
    extra['--crash-after-requests'] = options.sim?.crashAfterRequests;
    const leased = gpus[0]?.name;
    // The simulator maps a device name (`NVIDIA H100 80GB HBM3`) to its catalogue entry itself.
    const gpu = options.sim?.gpu ?? leased;
    if (gpu) simArgs.push('--gpu', gpu);
    // Without a lease the simulator sizes itself to what the parallel layout needs.
    const numGpus = options.sim?.numGpus ?? (gpus.length > 0 ? gpus.length : undefined);
    if (numGpus !== undefined) simArgs.push('--num-gpus', String(numGpus));
  }
  const flags = buildCliArgs(withDefaults(params, extra), adapter);
  const engineArgs = [...adapter.modelArgs(model), ...simArgs, ...flags, ...(options.extraArgs ?? [])];

  const env: Record<string, string> = { ...(options.env ?? {}) };
  if (!container && gpus.length > 0) env['CUDA_VISIBLE_DEVICES'] = cudaVisibleDevices(gpus);
  const volumes: VolumeMount[] = volume ? [volume] : [];
  if (options.hfCacheDir) {
    if (container) volumes.push({ hostPath: options.hfCacheDir, containerPath: CONTAINER_HF_CACHE });
    else env['HF_HOME'] = options.hfCacheDir;
  }
  const secretEnv: Record<string, string> = {};
  if (options.hfToken) {
    registerSecret(options.hfToken);
    secretEnv['HF_TOKEN'] = options.hfToken;
  }
  const image = options.image ?? adapter.imageFor?.(gpus.length) ?? adapter.defaultImage;
  const shmSizeBytes = options.shmSizeBytes ?? adapter.containerDefaults?.shmSizeBytes;
  const ipcMode = options.ipcMode ?? adapter.containerDefaults?.ipcMode;
  return {
    runtime: adapter.name,
    command: options.command ?? adapter.command,
    args: container ? engineArgs : [...adapter.commandArgs, ...engineArgs],
    image,
    ...(container ? { entrypoint: options.entrypoint ?? [...adapter.containerEntrypoint] } : {}),
    env,
    ...(Object.keys(secretEnv).length > 0 ? { secretEnv } : {}),
    portFlag: adapter.portFlag,
    hostFlag: adapter.hostFlag,
    containerPort: adapter.containerPort,
    readiness: { ...adapter.readiness, timeoutMs: options.readinessTimeoutMs ?? adapter.readiness.timeoutMs },
    gpus: [...gpus],
    ...(container && shmSizeBytes !== undefined ? { shmSizeBytes } : {}),
    ...(container && ipcMode !== undefined ? { ipcMode } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(options.labels ? { labels: { ...options.labels } } : {}),
    studyId: options.studyId,
    trialId: options.trialId,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  };
}
