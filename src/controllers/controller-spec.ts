// Plain, serialisable description of a controller (what study files and the CLI say), built by createController.
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { KubernetesModelCache } from './kubernetes/pod-template.js';
import type { EndpointVia } from './types.js';

/** The controller kinds this library ships, in one place. */
export const CONTROLLER_KINDS = ['local', 'docker', 'kubernetes'] as const;

/** One of `CONTROLLER_KINDS`. */
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

/** Engines as local child processes. */
export interface LocalControllerSpec {
  kind: 'local';
  /** Process registry and server logs. @default `<os.tmpdir()>/inference-autotuner-<uid>` */
  stateDir?: string | undefined;
}

/** Engines in Docker containers. */
export interface DockerControllerSpec {
  kind: 'docker';
  /** Docker daemon socket. @default DOCKER_HOST or the local socket */
  socketPath?: string | undefined;
  /** @default 'bridge' */
  network?: 'bridge' | 'host' | undefined;
  /** Hugging Face cache on the host, mounted into every container. */
  hfCacheDir?: string | undefined;
  /** When to pull the image. @default 'missing' */
  pull?: 'missing' | 'never' | 'always' | undefined;
}

/** Engines as Kubernetes pods or deployments. */
export interface KubernetesControllerSpec {
  kind: 'kubernetes';
  /** @default the context's namespace, else 'default' */
  namespace?: string | undefined;
  /** Kubeconfig file. @default KUBECONFIG, ~/.kube/config or in-cluster */
  kubeconfig?: string | undefined;
  /** Context of the kubeconfig. @default its current context */
  context?: string | undefined;
  /** @default 'pod' */
  workload?: 'pod' | 'deployment' | undefined;
  nodeSelector?: Record<string, string> | undefined;
  /** Kubernetes `V1Affinity` of the engine pods. */
  affinity?: Record<string, unknown> | undefined;
  tolerations?: Record<string, unknown>[] | undefined;
  /** Existing Secret holding the Hugging Face token. */
  hfTokenSecret?: { name: string; key: string } | undefined;
  /** @default 'nvidia.com/gpu' */
  gpuResource?: string | undefined;
  /** GPU product(s) by the node's `nvidia.com/gpu.product` label. */
  gpuProduct?: string | string[] | undefined;
  /** Volume with the model and the Hugging Face cache, mounted read-only. */
  modelCache?: KubernetesModelCache | undefined;
  /** Memory-backed /dev/shm, MiB. @default the runtime's */
  shmSizeMiB?: number | undefined;
  /** @default 'service' inside a cluster, 'port-forward' outside */
  endpointMode?: EndpointVia | undefined;
  serviceAccountName?: string | undefined;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never' | undefined;
}

/** Any controller a study file or the CLI can describe. */
export type ControllerSpec = LocalControllerSpec | DockerControllerSpec | KubernetesControllerSpec;

/** What every controller built by the factory shares with its caller. */
export interface ControllerContext {
  logger?: Logger;
  /** @default systemClock */
  clock?: Clock;
}
