// Catalogue of data-centre and workstation GPUs for the performance model (public datasheet figures).

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

// Figures from the vendor datasheets cited in `source`; NVLink figures are total bidirectional / 2.
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
    source:
      'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
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
    source:
      'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
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
    source: 'https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet',
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

/** Looks a GPU up by catalogue name (case-insensitive, a few aliases); undefined when unknown. */
export function findGpu(name: string): GpuSpec | undefined {
  const key = name.trim().toLowerCase();
  return BY_NAME.get(key) ?? BY_NAME.get(ALIASES[key] ?? '') ?? BY_NAME.get(catalogueNameOf(key) ?? '');
}

// The catalogue entry whose name tokens all appear in a device name (`nvidia h100 80gb hbm3` -> `h100`),
// preferring the most specific entry.
function catalogueNameOf(deviceName: string): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const gpu of GPUS) {
    const tokens = gpu.name.split('-');
    if (!tokens.every((token) => deviceName.includes(token))) continue;
    if (!best || tokens.length > best.score) best = { name: gpu.name, score: tokens.length };
  }
  return best?.name;
}
