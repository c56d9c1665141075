// The cluster's GPUs as the controller's pods can use them: allocatable GPUs per node, its GPU product, and
// whether these pods may land there (selector, affinity, GPU product, taints, cordon, readiness).
import type { V1Node, V1NodeSelectorRequirement, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { ClusterCapacityError } from '../../errors.js';
import { GPU_PRODUCT_LABEL, type PodTemplateOptions, podPlacement } from './pod-template.js';

/** One node's GPUs. */
export interface ClusterNodeCapacity {
  name: string;
  /** Allocatable GPUs of the controller's GPU resource (0 when it has none). */
  gpus: number;
  /** GPU product from the node's product label, e.g. `NVIDIA-H100-80GB-HBM3`. */
  product: string | undefined;
  labels: Record<string, string>;
  /** The controller's pods may run there. */
  eligible: boolean;
  /** Why they may not, in the scheduler's words (e.g. `untolerated taint {nvidia.com/gpu: present}`). */
  ineligibleReason?: string | undefined;
}

/** The GPUs of a cluster, per node, for the controller's GPU resource. */
export interface ClusterCapacity {
  /** Extended resource counted, e.g. `nvidia.com/gpu`. */
  resource: string;
  nodes: ClusterNodeCapacity[];
}

/** Reads nodes into per-node GPU capacity for pods built with `options`. */
export function clusterCapacityOf(nodes: V1Node[], options: PodTemplateOptions): ClusterCapacity {
  const placement = podPlacement(options);
  const label = options.gpuProductLabel ?? GPU_PRODUCT_LABEL;
  return {
    resource: options.gpuResource,
    nodes: nodes.map((node) => {
      const labels = node.metadata?.labels ?? {};
      const name = node.metadata?.name ?? '?';
      const reason = ineligibility(node, labels, placement);
      return {
        name,
        gpus: quantity(node.status?.allocatable?.[options.gpuResource]),
        product: labels[label],
        labels,
        eligible: reason === undefined,
        ...(reason ? { ineligibleReason: reason } : {}),
      };
    }),
  };
}

/** The eligible node with the most GPUs (first by name on a tie), if any. */
export function largestNode(capacity: ClusterCapacity): ClusterNodeCapacity | undefined {
  return capacity.nodes
    .filter((n) => n.eligible)
    .sort((a, b) => b.gpus - a.gpus || a.name.localeCompare(b.name))[0];
}

/**
 * A `ClusterCapacityError` (permanent) when a server needing `count` GPUs fits on no node the controller's pods may
 * use, naming the largest; undefined when it fits on one.
 */
export function unfit(capacity: ClusterCapacity, count: number): ClusterCapacityError | undefined {
  const largest = largestNode(capacity);
  if (largest && largest.gpus >= count) return undefined;
  const where = largest
    ? `the largest node its pods may use, ${largest.name}, has ${largest.gpus}`
    : `no node its pods may use has any (${capacity.nodes.length} node(s) in the cluster)`;
  return new ClusterCapacityError(
    `A server needing ${count} ${capacity.resource} cannot run on this cluster: ${where}`,
    {
      requested: count,
      capacity: largest?.gpus ?? 0,
      resource: capacity.resource,
      permanent: true,
      ...(largest ? { largestNode: largest.name } : {}),
    },
  );
}

// Whole units of an extended-resource quantity ('4', '4k' never appears for GPUs; anything odd counts as 0).
function quantity(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function ineligibility(
  node: V1Node,
  labels: Record<string, string>,
  placement: ReturnType<typeof podPlacement>,
): string | undefined {
  if (node.spec?.unschedulable) return 'node is cordoned (unschedulable)';
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') return 'node is not Ready';
  for (const [key, value] of Object.entries(placement.nodeSelector ?? {})) {
    if (labels[key] !== value) return `node does not match the node selector ${key}=${value}`;
  }
  const terms =
    placement.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const fields = { 'metadata.name': node.metadata?.name ?? '' };
  if (
    terms.length > 0 &&
    !terms.some(
      (t) =>
        (t.matchExpressions ?? []).every((e) => matches(e, labels)) &&
        (t.matchFields ?? []).every((e) => matches(e, fields)),
    )
  )
    return "node does not match the pods' required node affinity";
  const taint = (node.spec?.taints ?? []).find(
    (t) => t.effect !== 'PreferNoSchedule' && !(placement.tolerations ?? []).some((tol) => tolerates(tol, t)),
  );
  if (taint) return `untolerated taint {${taint.key}: ${taint.value ?? 'present'}}`;
  return undefined;
}

function matches(requirement: V1NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function tolerates(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key === undefined || toleration.key === '') return toleration.operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  return toleration.operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
}
