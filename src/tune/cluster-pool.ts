// The study's GPU pool on a cluster: the nodes' allocatable GPUs read once when the study starts, one group per
// node, so that parallel trials are packed onto nodes (best fit) and never oversubscribe one.
import type { ClusterCapacity } from '../controllers/kubernetes/cluster-capacity.js';
import { unfit } from '../controllers/kubernetes/cluster-capacity.js';
import type { Controller, SignalOptions } from '../controllers/types.js';
import type { ClusterCapacityError } from '../errors.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import { GpuPool } from '../gpu/gpu-pool.js';

/** A controller that can say how many GPUs each node of its cluster offers its pods. */
export interface CapacityReader {
  clusterCapacity(options?: SignalOptions): Promise<ClusterCapacity>;
}

/** The reader of a controller whose scheduler places GPUs itself and which can list its nodes; else undefined. */
export function capacityReader(controller: Controller): CapacityReader | undefined {
  if (controller.traits.gpuPlacement !== 'cluster') return undefined;
  const candidate = controller as Controller & Partial<CapacityReader>;
  return typeof candidate.clusterCapacity === 'function' ? (candidate as CapacityReader) : undefined;
}

/** The cluster's GPUs as the study leases them. */
export interface ClusterPool {
  capacity: ClusterCapacity;
  /** One GPU entry per allocatable GPU of every eligible node, `host` being the node's name. */
  pool: GpuPool;
  /** Eligible GPUs in total. */
  size: number;
  /** Why a server needing `count` GPUs can never run on this cluster (naming the largest node), or undefined. */
  unfit(count: number): ClusterCapacityError | undefined;
}

/**
 * One GPU entry per allocatable GPU of each node the controller's pods may use. Memory is not known from the
 * node object: it is left at 0 (the pool then decides by best fit alone). `index` counts within the node.
 */
export function clusterGpus(capacity: ClusterCapacity): GpuInfo[] {
  return capacity.nodes
    .filter((node) => node.eligible && node.gpus > 0)
    .flatMap((node) =>
      Array.from({ length: node.gpus }, (_, index) => ({
        index,
        uuid: `${node.name}/${capacity.resource}/${index}`,
        name: node.product ?? capacity.resource,
        memoryTotalMiB: 0,
        memoryUsedMiB: 0,
        memoryFreeMiB: 0,
        utilizationPct: undefined,
        processes: [],
        host: node.name,
      })),
    );
}

/** Reads the cluster's capacity and opens the study's pool on it (per node, best fit, bounded backfilling). */
export async function openClusterPool(
  reader: CapacityReader,
  options: { signal?: AbortSignal; maxOvertakes?: number | undefined },
): Promise<ClusterPool> {
  const capacity = await reader.clusterCapacity(options.signal ? { signal: options.signal } : {});
  const gpus = clusterGpus(capacity);
  const pool = new GpuPool(
    gpus,
    options.maxOvertakes === undefined ? {} : { maxOvertakes: options.maxOvertakes },
  );
  return { capacity, pool, size: gpus.length, unfit: (count) => unfit(capacity, count) };
}
