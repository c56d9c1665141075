// GPUs numbered from 0 on a target host, for exports and plans of a configuration (no real inventory).
import type { GpuInfo } from '../gpu/gpu-info.js';

/** `count` GPUs with indices 0..count-1 and no other facts. */
export function placeholderGpus(count: number): GpuInfo[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    uuid: '',
    name: 'GPU',
    memoryTotalMiB: 0,
    memoryUsedMiB: 0,
    memoryFreeMiB: 0,
    utilizationPct: undefined,
    processes: [],
  }));
}
