// What every engine pod carries beyond its launch spec, in one place for the controller's objects and the exported
// manifest alike: its GPU request, where it may run (node selector, affinity, tolerations, GPU product, a node a
// pool chose), the model cache volume and a memory-backed /dev/shm.
import type {
  V1Affinity,
  V1EnvVar,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1ResourceRequirements,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { LaunchSpec } from '../types.js';

/** A volume holding the model and the Hugging Face cache, mounted into every engine pod. */
export interface KubernetesModelCache {
  /** Existing PersistentVolumeClaim (ReadOnlyMany or ReadWriteMany for pods on several nodes). */
  claimName?: string | undefined;
  /** Directory on every node instead of a claim (e.g. a pre-filled local disk). */
  hostPath?: string | undefined;
  /** Sub-directory of the volume to mount. @default the volume's root */
  subPath?: string | undefined;
  /** Where the engine sees it; `HF_HOME` points here, so the hub cache is `<mountPath>/hub`. @default '/models' */
  mountPath?: string | undefined;
  /** Mount read-only; `HF_HUB_OFFLINE=1` then keeps the engine from trying to download into it. @default true */
  readOnly?: boolean | undefined;
}

/** Pod settings beyond the launch spec; the controller's options name each of them. */
export interface PodTemplateOptions {
  /** Extended resource of GPUs, e.g. `nvidia.com/gpu`, `amd.com/gpu`. */
  gpuResource: string;
  nodeSelector?: Record<string, string> | undefined;
  affinity?: V1Affinity | undefined;
  tolerations?: V1Toleration[] | undefined;
  /** GPU product(s) the node must carry in its `gpuProductLabel` label. */
  gpuProduct?: string | string[] | undefined;
  /** @default 'nvidia.com/gpu.product' (set by NVIDIA GPU feature discovery) */
  gpuProductLabel?: string | undefined;
  modelCache?: KubernetesModelCache | undefined;
  /** Size of the memory-backed /dev/shm in MiB. @default the runtime's, else 2048 for engines that want host IPC */
  shmSizeMiB?: number | undefined;
}

/** Label of NVIDIA GPU feature discovery that names a node's GPU model. */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** Where the model cache is mounted unless told. */
export const MODEL_CACHE_MOUNT = '/models';
// vLLM's Kubernetes guide gives its pods a 2 GiB memory-backed /dev/shm in place of Docker's --ipc=host.
const HOST_IPC_SHM_MIB = 2_048;

/** GPUs the server asks the cluster for: the spec's count, else its leased GPUs. */
export function gpuRequest(spec: LaunchSpec): number {
  return spec.gpuCount ?? spec.gpus.length;
}

/** Container resources: exactly `count` GPUs as limit (requests of extended resources default to it). */
export function gpuResources(options: PodTemplateOptions, count: number): V1ResourceRequirements | undefined {
  return count > 0 ? { limits: { [options.gpuResource]: String(count) } } : undefined;
}

/** Node selector, affinity and tolerations of a pod, with the GPU product and the chosen node folded in. */
export function podPlacement(
  options: PodTemplateOptions,
  node?: string,
): { nodeSelector?: Record<string, string>; affinity?: V1Affinity; tolerations?: V1Toleration[] } {
  const label = options.gpuProductLabel ?? GPU_PRODUCT_LABEL;
  const products =
    options.gpuProduct === undefined ? [] : [options.gpuProduct].flat().filter((p) => p !== '');
  const nodeSelector = {
    ...options.nodeSelector,
    ...(products.length === 1 ? { [label]: products[0] as string } : {}),
  };
  const expressions: V1NodeSelectorRequirement[] =
    products.length > 1 ? [{ key: label, operator: 'In', values: products }] : [];
  // matchFields on metadata.name pins a pod to a node through the scheduler, as the DaemonSet controller does.
  const fields: V1NodeSelectorRequirement[] = node
    ? [{ key: 'metadata.name', operator: 'In', values: [node] }]
    : [];
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...withRequired(options.affinity, expressions, fields),
    ...(options.tolerations && options.tolerations.length > 0 ? { tolerations: options.tolerations } : {}),
  };
}

// Adds requirements to every required node-selector term (terms are ORed, so each must carry them).
function withRequired(
  affinity: V1Affinity | undefined,
  expressions: V1NodeSelectorRequirement[],
  fields: V1NodeSelectorRequirement[],
): { affinity?: V1Affinity } {
  if (expressions.length === 0 && fields.length === 0) return affinity ? { affinity } : {};
  const required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms: V1NodeSelectorTerm[] =
    required && required.nodeSelectorTerms.length > 0 ? required.nodeSelectorTerms : [{}];
  const nodeSelectorTerms = terms.map((term) => ({
    ...term,
    ...(expressions.length > 0
      ? { matchExpressions: [...(term.matchExpressions ?? []), ...expressions] }
      : {}),
    ...(fields.length > 0 ? { matchFields: [...(term.matchFields ?? []), ...fields] } : {}),
  }));
  return {
    affinity: {
      ...affinity,
      nodeAffinity: {
        ...affinity?.nodeAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms },
      },
    },
  };
}

/** Bytes of the pod's memory-backed /dev/shm, or undefined when the engine needs none. */
export function shmBytes(options: PodTemplateOptions, spec: LaunchSpec): number | undefined {
  if (options.shmSizeMiB !== undefined) return options.shmSizeMiB * 2 ** 20;
  if (spec.shmSizeBytes) return spec.shmSizeBytes;
  return spec.ipcMode === 'host' ? HOST_IPC_SHM_MIB * 2 ** 20 : undefined;
}

/** Volumes, mounts and environment of the model cache, /dev/shm and the spec's own host mounts. */
export function podStorage(
  options: PodTemplateOptions,
  spec: LaunchSpec,
): { volumes: V1Volume[]; mounts: V1VolumeMount[]; env: V1EnvVar[] } {
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  const env: V1EnvVar[] = [];
  const shm = shmBytes(options, spec);
  if (shm !== undefined) {
    volumes.push({
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: `${Math.ceil(shm / 2 ** 20)}Mi` },
    });
    mounts.push({ name: 'dshm', mountPath: '/dev/shm' });
  }
  const cache = options.modelCache;
  if (cache && (cache.claimName || cache.hostPath)) {
    const readOnly = cache.readOnly ?? true;
    const mountPath = cache.mountPath ?? MODEL_CACHE_MOUNT;
    volumes.push(
      cache.claimName
        ? { name: 'model-cache', persistentVolumeClaim: { claimName: cache.claimName, readOnly } }
        : { name: 'model-cache', hostPath: { path: cache.hostPath as string, type: 'Directory' } },
    );
    mounts.push({
      name: 'model-cache',
      mountPath,
      readOnly,
      ...(cache.subPath ? { subPath: cache.subPath } : {}),
    });
    const cacheEnv: Record<string, string> = {
      HF_HOME: mountPath,
      ...(readOnly ? { HF_HUB_OFFLINE: '1' } : {}),
    };
    // The study's own environment wins over these defaults.
    for (const [name, value] of Object.entries(cacheEnv)) if (!(name in spec.env)) env.push({ name, value });
  }
  (spec.volumes ?? []).forEach((v, i) => {
    volumes.push({ name: `vol-${i}`, hostPath: { path: v.hostPath } });
    mounts.push({ name: `vol-${i}`, mountPath: v.containerPath, readOnly: v.readOnly ?? false });
  });
  return { volumes, mounts, env };
}
