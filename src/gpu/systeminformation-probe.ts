// SystemInformationProbe: the fallback through systeminformation's graphics controllers (NVIDIA only).

import type { Systeminformation } from 'systeminformation';
import type { GpuInfo } from './gpu-info.js';
import {
  describeFailure,
  type GpuProbe,
  type GpuProbeOptions,
  type GpuProbeResult,
  raceAbort,
} from './gpu-probe.js';

const isNvidia = (c: Systeminformation.GraphicsControllerData): boolean =>
  /nvidia/i.test(`${c.vendor ?? ''} ${c.subVendor ?? ''} ${c.vendorId ?? ''}`) ||
  c.vendorId?.toLowerCase() === '10de';

/**
 * Maps systeminformation graphics controllers to GpuInfo, keeping NVIDIA ones with a known memory
 * size. Controllers are numbered in the order listed. Without live figures (no nvidia-smi behind
 * systeminformation) used memory is taken as 0 and free as the total; `notes` says so.
 */
export function gpusFromGraphicsControllers(
  controllers: readonly Systeminformation.GraphicsControllerData[],
): {
  gpus: GpuInfo[];
  notes: string[];
} {
  let skipped = 0;
  let withoutUsage = 0;
  const gpus: GpuInfo[] = [];
  for (const controller of controllers.filter(isNvidia)) {
    // systeminformation reports these in MB computed as bytes / 1024 / 1024, i.e. MiB.
    const total = controller.memoryTotal ?? controller.vram ?? undefined;
    if (total === undefined || total === null || !(total > 0)) {
      skipped++;
      continue;
    }
    const used =
      controller.memoryUsed ??
      (controller.memoryFree === undefined ? undefined : total - controller.memoryFree);
    if (used === undefined) withoutUsage++;
    const usedMiB = used ?? 0;
    const index = gpus.length;
    const bus = controller.pciBus ?? controller.busAddress;
    gpus.push({
      index,
      // systeminformation exposes no GPU UUID; the PCI address is stable across reboots.
      uuid: bus ? `PCI-${bus}` : `systeminformation-${index}`,
      name: controller.name ?? controller.model,
      memoryTotalMiB: total,
      memoryUsedMiB: usedMiB,
      memoryFreeMiB: controller.memoryFree ?? total - usedMiB,
      utilizationPct: controller.utilizationGpu ?? undefined,
      processes: [],
      ...(controller.driverVersion ? { driverVersion: controller.driverVersion } : {}),
      ...(bus ? { pciBusId: bus } : {}),
    });
  }
  const notes: string[] = [];
  if (skipped > 0) notes.push(`${skipped} NVIDIA controller(s) without a memory size skipped`);
  if (withoutUsage > 0)
    notes.push(`memory usage not reported for ${withoutUsage} GPU(s) (taken as all free)`);
  return { gpus, notes };
}

/** Probes with systeminformation's `graphics()`; a fallback when nvidia-smi's XML cannot be read. */
export class SystemInformationProbe implements GpuProbe {
  readonly source = 'systeminformation' as const;

  /** Lists NVIDIA controllers; resolves with an empty list and a reason when there are none. */
  async probe(options: GpuProbeOptions = {}): Promise<GpuProbeResult> {
    const { signal } = options;
    let controllers: Systeminformation.GraphicsControllerData[];
    try {
      // graphics() takes no signal; the race lets a caller stop waiting for it.
      // Loaded on first use: the library takes tens of ms to import and most studies never need it.
      const { default: si } = await raceAbort(import('systeminformation'), signal);
      controllers = (await raceAbort(si.graphics(), signal)).controllers;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { gpus: [], source: this.source, reason: `systeminformation failed: ${describeFailure(error)}` };
    }
    const { gpus, notes } = gpusFromGraphicsControllers(controllers);
    if (gpus.length === 0) {
      return {
        gpus,
        source: this.source,
        reason: `no NVIDIA GPUs visible: systeminformation lists ${controllers.length} graphics controller(s), none NVIDIA with a known memory size`,
      };
    }
    return notes.length > 0
      ? { gpus, source: this.source, reason: notes.join('; ') }
      : { gpus, source: this.source };
  }
}
