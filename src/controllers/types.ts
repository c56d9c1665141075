// Contract between runtime adapters (what to start) and controllers (how and where to start it).
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { ControllerTraits } from './controller-traits.js';

/** A host path mounted into a container or pod. */
export interface VolumeMount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
}

/** How to tell that a launched engine is ready to serve. */
export interface ReadinessSpec {
  /** HTTP path polled until it answers 2xx, e.g. `/health` or `/v1/models`. */
  path: string;
  /** Extra paths that must also answer 2xx (all must pass), e.g. `/v1/models` after `/health`. */
  alsoPaths?: string[];
  /** Overall start-up budget in ms. @default 600_000 */
  timeoutMs?: number;
}

/** Everything a controller needs to start one engine server; produced by a runtime adapter. */
export interface LaunchSpec {
  /** Name of the runtime adapter that built this spec (labels, manifests). */
  runtime: string;
  /** Executable for the local controller (no shell is ever involved), e.g. `vllm` or `llama-server`. */
  command: string;
  /** Engine arguments without host and port; the controller appends those through `hostFlag`/`portFlag`. */
  args: string[];
  /** Container image for Docker and Kubernetes. */
  image?: string;
  /** Container entrypoint override; `command` + `args` become the container command when unset. */
  entrypoint?: string[];
  /** Plain environment variables. */
  env: Record<string, string>;
  /** Secret environment variables (HF token, API keys): never logged, journaled or exported in clear. */
  secretEnv?: Record<string, string>;
  /** Flag that sets the listen port, e.g. `--port`. */
  portFlag: string;
  /** Flag that sets the listen address, e.g. `--host`; undefined when the engine has none. */
  hostFlag?: string;
  /** Port the engine listens on inside a container (Docker/Kubernetes). @default 8000 */
  containerPort?: number;
  readiness: ReadinessSpec;
  /** GPUs leased for this server (empty for CPU engines). */
  gpus: GpuInfo[];
  /**
   * GPUs to request from a cluster scheduler (Kubernetes `nvidia.com/gpu`), a count without indices: the world
   * size. Controllers that take leases ignore it. @default gpus.length
   */
  gpuCount?: number;
  /** Cluster node the server must run on (a per-node pool's choice); unset, the cluster's scheduler picks. */
  node?: string;
  /** Shared memory size for containers, in bytes. */
  shmSizeBytes?: number;
  /** IPC mode for containers, e.g. `host`. */
  ipcMode?: string;
  volumes?: VolumeMount[];
  /** Extra labels; controllers always add the study and trial labels. */
  labels?: Record<string, string>;
  /** Study this server belongs to (used for labels and cleanup). */
  studyId: string;
  /** Trial this server belongs to. */
  trialId: string;
  /** Working directory for the local controller. */
  cwd?: string;
}

/** Options of every controller call that may wait. */
export interface SignalOptions {
  signal?: AbortSignal;
}

/**
 * How the tuner reaches a server that is not on this host: `pod-ip` and `service` go straight to it inside the
 * cluster; `port-forward` tunnels every request through the Kubernetes API server, which adds latency to every
 * TTFT and ITL sample and caps throughput.
 */
export type EndpointVia = 'pod-ip' | 'service' | 'port-forward';

/** A started, ready engine server. Dispose (or `stop()`) to tear it down; stopping twice is harmless. */
export interface ServerHandle extends AsyncDisposable {
  /** Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** The route to `endpoint` when it is not on this host (Kubernetes); undefined for local and Docker servers. */
  readonly via?: EndpointVia | undefined;
  /** Milliseconds from launch to ready. */
  readonly startupMs: number;
  /** Content id of the image the server runs (containers only), for reproducibility manifests. */
  readonly imageDigest?: string | undefined;
  /** The image's version label (containers whose image has one), when the engine cannot be asked. */
  readonly imageVersion?: string | undefined;
  /** The last lines of the server's output (redacted). */
  logs(options?: { tail?: number }): Promise<string>;
  /**
   * Resolves when the server exits on its own; never rejects. `error` says why the exit could not be observed
   * (e.g. Docker's wait call failed), when that is what ended the watch.
   */
  readonly exited: Promise<{ exitCode: number | null; signal: string | null; error?: Error | undefined }>;
  stop(options?: SignalOptions): Promise<void>;
}

/** Starts engine servers somewhere (local processes, Docker, Kubernetes) and cleans up after them. */
export interface Controller {
  /** Name for labels, manifests and messages (`local`, `docker`, `kubernetes` for the bundled ones). */
  readonly kind: string;
  /** Where and how it places engines; the study plans from these, never from the name. */
  readonly traits: ControllerTraits;
  /** Launches and waits for readiness; on any failure everything started is removed before the error is thrown. */
  launch(spec: LaunchSpec, options?: SignalOptions): Promise<ServerHandle>;
  /** Removes everything this library started and left behind, for one study or all. Returns what it removed. */
  cleanup(studyId?: string, options?: SignalOptions): Promise<string[]>;
  /**
   * Removes what dead runs of one study left behind: its servers whose owning tuner process ran on this host
   * and is gone. Never touches a live owner's servers or another host's. Returns what it removed.
   */
  reap(studyId: string, options?: SignalOptions): Promise<string[]>;
}
