// Hardware figures of a GPU a probe reported: its product name mapped to the catalogue, checked against its memory.
import { findGpu, type GpuSpec } from './gpu-catalogue.js';
import { matchDeviceName } from './gpu-device-name.js';

/** What a probe reports of one GPU (a `GpuInfo` has both fields). */
export interface ProbedGpu {
  /** Product name as the driver reports it, e.g. `NVIDIA H100 80GB HBM3`. */
  name: string;
  /** Total device memory in MiB; tells apart variants the name leaves open (A100 40 GB / 80 GB). */
  memoryTotalMiB?: number;
}

/** The catalogue entry of a probed GPU, or why the performance model has none. */
export type GpuFromProbe = { gpu: GpuSpec; reason?: undefined } | { gpu: undefined; reason: string };

// Drivers report a little less than the marketed size (80 GB H100: 79.6 GiB; 48 GB L40S: 45 GiB); a larger gap
// means a variant the catalogue does not describe (or a partition of the device).
const MEMORY_TOLERANCE = 0.12;

/** Maps a probed GPU (nvidia-smi product name and memory) to the GPU catalogue; never throws. */
export function gpuFromProbe(probed: ProbedGpu): GpuFromProbe {
  const memoryGiB = probed.memoryTotalMiB === undefined ? undefined : probed.memoryTotalMiB / 1024;
  const match = matchDeviceName(probed.name, memoryGiB);
  if (match.name === undefined) return { gpu: undefined, reason: match.reason };
  const gpu = findGpu(match.name);
  if (gpu === undefined) return { gpu: undefined, reason: `no catalogue entry ${match.name}` };
  if (memoryGiB !== undefined && Math.abs(memoryGiB - gpu.memoryGiB) > MEMORY_TOLERANCE * gpu.memoryGiB) {
    return {
      gpu: undefined,
      reason: `${JSON.stringify(probed.name)} reports ${memoryGiB.toFixed(1)} GiB but the catalogue's ${gpu.name} has ${gpu.memoryGiB} GiB`,
    };
  }
  return { gpu };
}
