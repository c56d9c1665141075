// Options of the Kubernetes controller and their validation at construction (every problem at once).
import type { KubeConfig, V1Affinity, V1Toleration } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { optionTypes, parseControllerOptions } from '../controller-options.js';
import type { EndpointVia } from '../types.js';
import type { KubernetesModelCache } from './pod-template.js';
import { unknownFields } from './unknown-fields.js';

/** Options of the Kubernetes controller. */
export interface KubernetesControllerOptions {
  /** Cluster access. @default `loadFromDefault()` (KUBECONFIG, ~/.kube/config or in-cluster) */
  kubeConfig?: KubeConfig;
  /** Namespace of everything started. @default the context's namespace, else 'default' */
  namespace?: string;
  /** Run the engine as a bare Pod (fails fast, never restarted) or a one-replica Deployment. @default 'pod' */
  workload?: 'pod' | 'deployment';
  /** Node labels every engine pod must match. @default none */
  nodeSelector?: Record<string, string>;
  /** Affinity of every engine pod (e.g. required node affinity to a GPU pool). @default none */
  affinity?: V1Affinity;
  /** Tolerations of every engine pod, e.g. of the `nvidia.com/gpu` taint of GPU nodes. @default none */
  tolerations?: V1Toleration[];
  /**
   * GPU product(s) the node must have, by its `gpuProductLabel` label (e.g. `NVIDIA-H100-80GB-HBM3`); one value
   * becomes a node selector, several a required node affinity. @default any
   */
  gpuProduct?: string | string[];
  /** Node label naming the GPU product. @default 'nvidia.com/gpu.product' */
  gpuProductLabel?: string;
  /** Existing Secret with the Hugging Face token, e.g. `{ name: 'hf', key: 'token' }`. */
  hfTokenSecret?: { name: string; key: string };
  /** Volume with the model and the Hugging Face cache, mounted into every engine pod. @default none */
  modelCache?: KubernetesModelCache;
  /**
   * Memory-backed /dev/shm of every engine pod, MiB. @default the runtime's (32 GiB for SGLang), 2048 for
   * engines that run with host IPC in Docker (vLLM), else none
   */
  shmSizeMiB?: number;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * How long a pod may stay Unschedulable before its launch fails with a `ClusterCapacityError`: time for a
   * cluster autoscaler to add a node. @default 0 (at once: the caller decides whether to wait and retry)
   */
  unschedulableGraceMs?: number;
  /**
   * How the tuner reaches the engine. `port-forward` tunnels every request through the API server: it adds
   * latency to each TTFT and ITL sample and caps throughput (the handle's `via` says so). @default 'service'
   * inside a cluster, 'port-forward' outside
   */
  endpointMode?: EndpointVia;
  /** Address the engine binds to inside the pod (`$(POD_IP)` is expanded by Kubernetes). @default '0.0.0.0' */
  bindAddress?: string;
  /** GPU extended resource, e.g. `amd.com/gpu` for AMD's device plugin. @default 'nvidia.com/gpu' */
  gpuResource?: string;
  /** Pod termination grace period. @default 10 */
  stopGraceSeconds?: number;
  /** Pod status polling interval while starting. @default 250 */
  statusIntervalMs?: number;
  /** Service account of the engine pods. @default the namespace's default */
  serviceAccountName?: string;
  /** First delay between HTTP readiness probes. @default 50 */
  readinessInitialIntervalMs?: number;
  /** Cap of the delay between readiness probes. @default 500 */
  readinessMaxIntervalMs?: number;
  logger?: Logger;
  /** Time source of start-up timings and readiness budgets. @default systemClock */
  clock?: Clock;
}

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label')
  .max(63);
const dnsSubdomain = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'a DNS-1123 subdomain')
  .max(253);
const labelValue = z
  .string()
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, 'a label value')
  .max(63);
const qualifiedName = z
  .string()
  .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'a label key');
const absolutePath = z.string().regex(/^\//, 'an absolute path');

const modelCacheSchema = z
  .strictObject({
    claimName: dnsSubdomain.optional(),
    hostPath: absolutePath.optional(),
    subPath: z
      .string()
      .min(1)
      .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a relative path without ..')
      .optional(),
    mountPath: absolutePath.optional(),
    readOnly: z.boolean().optional(),
  })
  .refine((c) => (c.claimName === undefined) !== (c.hostPath === undefined), {
    message: 'exactly one of claimName or hostPath',
  });

// A Kubernetes object given as an option: unknown (e.g. misspelt) keys are refused, each by its path, instead of
// being dropped silently when the client serialises it.
function kubernetesObject(type: string) {
  return optionTypes.object.superRefine((value, context) => {
    for (const path of unknownFields(value, type))
      context.addIssue({
        code: 'custom',
        message: `no field ${path} in a Kubernetes ${type.replace(/^V1/, '')}`,
        path: path
          .split(/[.[\]]+/)
          .filter(Boolean)
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      });
  });
}

const kubernetesOptionsSchema = z.strictObject({
  kubeConfig: optionTypes.object.optional(),
  namespace: dnsLabel.optional(),
  workload: z.enum(['pod', 'deployment']).optional(),
  nodeSelector: z.record(qualifiedName, labelValue).optional(),
  affinity: kubernetesObject('V1Affinity').optional(),
  tolerations: z.array(kubernetesObject('V1Toleration')).optional(),
  gpuProduct: z.union([labelValue.min(1), z.array(labelValue.min(1)).min(1)]).optional(),
  gpuProductLabel: qualifiedName.optional(),
  hfTokenSecret: z.strictObject({ name: dnsSubdomain, key: optionTypes.text }).optional(),
  modelCache: modelCacheSchema.optional(),
  shmSizeMiB: optionTypes.count.optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  unschedulableGraceMs: optionTypes.nonNegativeMs.optional(),
  endpointMode: z.enum(['pod-ip', 'service', 'port-forward']).optional(),
  bindAddress: optionTypes.text.optional(),
  gpuResource: z
    .string()
    .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]+$/, 'an extended resource name')
    .optional(),
  stopGraceSeconds: z.number().int().min(0).optional(),
  statusIntervalMs: optionTypes.positiveMs.optional(),
  serviceAccountName: optionTypes.text.optional(),
  readinessInitialIntervalMs: optionTypes.positiveMs.optional(),
  readinessMaxIntervalMs: optionTypes.positiveMs.optional(),
  logger: optionTypes.object.optional(),
  clock: optionTypes.clock.optional(),
});

/** Throws an `InvalidOptionsError` naming every bad option and its value; returns the options unchanged. */
export function validateKubernetesOptions(options: KubernetesControllerOptions): KubernetesControllerOptions {
  parseControllerOptions('Kubernetes controller', kubernetesOptionsSchema, options);
  return options;
}
