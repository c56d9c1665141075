// Catalogue of data-centre and workstation GPUs for the performance model (public datasheet figures).
import { matchDeviceName } from './gpu-device-name.js';

/** How GPUs of one server talk to each other for tensor-parallel all-reduce. */
export type InterconnectKind = 'nvlink' | 'pcie';

/** Peak figures of one GPU model; dense (no sparsity) tensor-core throughput. */
export interface GpuSpec {
  /** Catalogue name, lowercase, e.g. `h100`. */
  name: string;
  /** Marketing name. */
  displayName: string;
  /** Usable device memory in GiB as the driver reports it (rounded). */
  memoryGiB: number;
  /** Dense BF16/FP16 tensor TFLOP/s. */
  bf16Tflops: number;
  /** Dense FP8 tensor TFLOP/s; undefined when the GPU has no FP8 tensor cores. */
  fp8Tflops: number | undefined;
  /** Memory bandwidth in GB/s. */
  memoryBandwidthGBps: number;
  interconnect: InterconnectKind;
  /** Per-direction GPU-to-GPU bandwidth in GB/s. */
  interconnectGBps: number;
  /** Where the figures come from. */
  source: string;
}

const A100_DATASHEET =
  'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf';
const H100_DATASHEET = 'https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet';

// Figures from the vendor datasheets cited in `source` (SOURCES.md lists each figure); dense tensor throughput
// (half the datasheet's sparsity figure); NVLink figures are total bidirectional / 2, PCIe Gen4 x16 is 32 GB/s
// and Gen5 x16 64 GB/s per direction.
const GPUS: readonly GpuSpec[] = [
  {
    name: 'a100-40gb',
    displayName: 'NVIDIA A100 40GB SXM',
    memoryGiB: 40,
    bf16Tflops: 312,
    fp8Tflops: undefined,
    memoryBandwidthGBps: 1555,
    interconnect: 'nvlink',
    interconnectGBps: 300,
    source: A100_DATASHEET,
  },
  {
    name: 'a100-80gb',
    displayName: 'NVIDIA A100 80GB SXM',
    memoryGiB: 80,
    bf16Tflops: 312,
    fp8Tflops: undefined,
    memoryBandwidthGBps: 2039,
    interconnect: 'nvlink',
    interconnectGBps: 300,
    source: A100_DATASHEET,
  },
  {
    name: 'h100',
    displayName: 'NVIDIA H100 80GB SXM',
    memoryGiB: 80,
    bf16Tflops: 989,
    fp8Tflops: 1979,
    memoryBandwidthGBps: 3350,
    interconnect: 'nvlink',
    interconnectGBps: 450,
    source: H100_DATASHEET,
  },
  {
    name: 'a100-pcie-40gb',
    displayName: 'NVIDIA A100 40GB PCIe',
    memoryGiB: 40,
    bf16Tflops: 312,
    fp8Tflops: undefined,
    memoryBandwidthGBps: 1555,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source: A100_DATASHEET,
  },
  {
    name: 'a100-pcie-80gb',
    displayName: 'NVIDIA A100 80GB PCIe',
    memoryGiB: 80,
    bf16Tflops: 312,
    fp8Tflops: undefined,
    memoryBandwidthGBps: 1935,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source: A100_DATASHEET,
  },
  {
    name: 'h100-pcie',
    displayName: 'NVIDIA H100 80GB PCIe',
    memoryGiB: 80,
    bf16Tflops: 756,
    fp8Tflops: 1513,
    memoryBandwidthGBps: 2000,
    interconnect: 'pcie',
    interconnectGBps: 64,
    source: H100_DATASHEET,
  },
  {
    name: 'h100-nvl',
    displayName: 'NVIDIA H100 NVL 94GB',
    memoryGiB: 94,
    bf16Tflops: 835,
    fp8Tflops: 1671,
    memoryBandwidthGBps: 3900,
    // NVLink bridges join pairs only; a tensor-parallel group beyond a pair talks over PCIe Gen5.
    interconnect: 'pcie',
    interconnectGBps: 64,
    source: H100_DATASHEET,
  },
  {
    name: 'h200',
    displayName: 'NVIDIA H200 141GB SXM',
    memoryGiB: 141,
    bf16Tflops: 989,
    fp8Tflops: 1979,
    memoryBandwidthGBps: 4800,
    interconnect: 'nvlink',
    interconnectGBps: 450,
    source: 'https://www.nvidia.com/en-us/data-center/h200/',
  },
  {
    name: 'b200',
    displayName: 'NVIDIA B200 180GB SXM',
    memoryGiB: 180,
    bf16Tflops: 2250,
    fp8Tflops: 4500,
    memoryBandwidthGBps: 8000,
    interconnect: 'nvlink',
    interconnectGBps: 900,
    source: 'https://www.nvidia.com/en-us/data-center/dgx-b200/ (DGX B200 totals divided by 8 GPUs)',
  },
  {
    name: 'l40s',
    displayName: 'NVIDIA L40S 48GB',
    memoryGiB: 48,
    bf16Tflops: 362,
    fp8Tflops: 733,
    memoryBandwidthGBps: 864,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source: 'https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413',
  },
  {
    name: 'l40',
    displayName: 'NVIDIA L40 48GB',
    memoryGiB: 48,
    bf16Tflops: 181,
    fp8Tflops: 362,
    memoryBandwidthGBps: 864,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source: 'https://www.nvidia.com/en-us/data-center/l40/ (L40 datasheet)',
  },
  {
    name: 'l4',
    displayName: 'NVIDIA L4 24GB',
    memoryGiB: 24,
    bf16Tflops: 121,
    fp8Tflops: 242,
    memoryBandwidthGBps: 300,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source: 'https://www.nvidia.com/en-us/data-center/l4/ (L4 datasheet)',
  },
  {
    name: 'a10',
    displayName: 'NVIDIA A10 24GB',
    memoryGiB: 24,
    bf16Tflops: 125,
    fp8Tflops: undefined,
    memoryBandwidthGBps: 600,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source: 'https://www.nvidia.com/en-us/data-center/products/a10-gpu/ (A10 datasheet)',
  },
  {
    name: 'a10g',
    displayName: 'NVIDIA A10G 24GB (AWS G5)',
    memoryGiB: 24,
    bf16Tflops: 70,
    fp8Tflops: undefined,
    memoryBandwidthGBps: 600,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source:
      'https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/ (no NVIDIA datasheet; AWS G5: https://aws.amazon.com/ec2/instance-types/g5/)',
  },
  {
    name: 'rtx-6000-ada',
    displayName: 'NVIDIA RTX 6000 Ada Generation 48GB',
    memoryGiB: 48,
    bf16Tflops: 364,
    fp8Tflops: 728,
    memoryBandwidthGBps: 960,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source:
      'https://www.nvidia.com/en-us/design-visualization/rtx-6000/ (datasheet; dense = half the sparsity figure)',
  },
  {
    name: 'rtx-4090',
    displayName: 'NVIDIA GeForce RTX 4090 24GB',
    memoryGiB: 24,
    bf16Tflops: 165,
    fp8Tflops: 330,
    memoryBandwidthGBps: 1008,
    interconnect: 'pcie',
    interconnectGBps: 32,
    source:
      'https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf (FP32-accumulate tensor figures)',
  },
];

const BY_NAME = new Map(GPUS.map((gpu) => [gpu.name, gpu]));
const ALIASES: Record<string, string> = { a100: 'a100-80gb', '4090': 'rtx-4090', h100sxm: 'h100' };

/** Every GPU the simulator knows, in a stable order. */
export function gpuCatalogue(): readonly GpuSpec[] {
  return GPUS;
}

/** Looks a GPU up by catalogue name (case-insensitive, a few aliases) or driver product name; undefined when unknown. */
export function findGpu(name: string): GpuSpec | undefined {
  const key = name.trim().toLowerCase();
  return BY_NAME.get(key) ?? BY_NAME.get(ALIASES[key] ?? '') ?? BY_NAME.get(matchDeviceName(key).name ?? '');
}
