// Helpers for the GPU tests: reading the real nvidia-smi captures and building fake inventories.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';

/** Absolute path of a file in test/fixtures/nvidia-smi. */
export function smiFixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/nvidia-smi/${name}`, import.meta.url));
}

/** Text of a file in test/fixtures/nvidia-smi. */
export function readSmiFixture(name: string): string {
  return readFileSync(smiFixturePath(name), 'utf8');
}

/** A fake GPU with the given index and free memory (80 GiB total). */
export function fakeGpu(index: number, memoryFreeMiB = 80_000, extra: Partial<GpuInfo> = {}): GpuInfo {
  return {
    index,
    uuid: `GPU-fake-${index}`,
    name: 'Fake H100',
    memoryTotalMiB: 81_559,
    memoryUsedMiB: 81_559 - memoryFreeMiB,
    memoryFreeMiB,
    utilizationPct: 0,
    processes: [],
    ...extra,
  };
}
