// Maps the tree of `nvidia-smi -q -x` (as xml2js builds it) to GpuInfo entries.

import { InvalidOptionError } from '../errors.js';
import type { GpuInfo, GpuProcess } from './gpu-info.js';
import { parseSmiInteger, parseSmiNumber, smiText } from './nvidia-smi-values.js';
import { xmlAttribute, xmlChild, xmlChildren, xmlText } from './xml-tree.js';

/** Options of the nvidia-smi XML readers. */
export interface NvidiaSmiXmlOptions {
  /**
   * List the MIG instances of a GPU in MIG mode instead of the GPU itself (a GPU in MIG mode cannot
   * be used whole). When false, such a GPU is listed once with `migEnabled: true`.
   * @default true
   */
  expandMig?: boolean;
}

interface Memory {
  totalMiB: number;
  usedMiB: number;
  freeMiB: number;
}

function readMemory(node: unknown, field: string): Memory {
  const total = parseSmiNumber(xmlText(node, 'fb_memory_usage', 'total'), 'MiB');
  const used = parseSmiNumber(xmlText(node, 'fb_memory_usage', 'used'), 'MiB');
  const free = parseSmiNumber(xmlText(node, 'fb_memory_usage', 'free'), 'MiB');
  if (total === undefined) {
    throw new InvalidOptionError(
      `${field}.fb_memory_usage.total`,
      xmlText(node, 'fb_memory_usage', 'total'),
      'a size in MiB',
    );
  }
  // Old schemas lack one of used/free; the driver's total minus the other is the best estimate then.
  const usedMiB = used ?? (free === undefined ? undefined : total - free);
  if (usedMiB === undefined) {
    throw new InvalidOptionError(
      `${field}.fb_memory_usage.used`,
      undefined,
      'a size in MiB (or a free size)',
    );
  }
  return { totalMiB: total, usedMiB, freeMiB: free ?? total - usedMiB };
}

interface ProcessEntry extends GpuProcess {
  gpuInstanceId: number | undefined;
  computeInstanceId: number | undefined;
}

function readProcesses(gpu: unknown): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const info of xmlChildren(xmlChild(gpu, 'processes'), 'process_info')) {
    const pid = parseSmiInteger(xmlText(info, 'pid'));
    if (pid === undefined) continue;
    entries.push({
      pid,
      name: smiText(xmlText(info, 'process_name')) ?? '',
      // Some platforms (Windows WDDM) print N/A per process; 0 means "not reported" here.
      usedMemoryMiB: parseSmiNumber(xmlText(info, 'used_memory'), 'MiB') ?? 0,
      gpuInstanceId: parseSmiInteger(xmlText(info, 'gpu_instance_id')),
      computeInstanceId: parseSmiInteger(xmlText(info, 'compute_instance_id')),
    });
  }
  return entries;
}

function publicProcess(entry: ProcessEntry): GpuProcess {
  return { pid: entry.pid, name: entry.name, usedMemoryMiB: entry.usedMemoryMiB };
}

function required(value: string | undefined, field: string, expected: string): string {
  if (value === undefined) throw new InvalidOptionError(field, value, expected);
  return value;
}

function migInstances(gpu: unknown, parent: GpuInfo, processes: ProcessEntry[], field: string): GpuInfo[] {
  return xmlChildren(xmlChild(gpu, 'mig_devices'), 'mig_device').map((device, i) => {
    const deviceIndex = parseSmiInteger(xmlText(device, 'index')) ?? i;
    const gpuInstanceId = parseSmiInteger(xmlText(device, 'gpu_instance_id'));
    const computeInstanceId = parseSmiInteger(xmlText(device, 'compute_instance_id'));
    const memory = readMemory(device, `${field}.mig_devices.mig_device[${i}]`);
    // Schemas up to v12 print no MIG UUID; the `MIG-<GPU UUID>/<GI>/<CI>` form names the same instance.
    const uuid =
      smiText(xmlText(device, 'uuid')) ??
      `MIG-${parent.uuid}/${gpuInstanceId ?? deviceIndex}/${computeInstanceId ?? 0}`;
    const profile = smiText(xmlText(device, 'profile'));
    const mine = processes.filter(
      (p) => p.gpuInstanceId === gpuInstanceId && p.computeInstanceId === computeInstanceId,
    );
    const info: GpuInfo = {
      ...parent,
      uuid,
      name: `${parent.name} MIG ${profile ?? `${gpuInstanceId ?? deviceIndex}/${computeInstanceId ?? 0}`}`,
      memoryTotalMiB: memory.totalMiB,
      memoryUsedMiB: memory.usedMiB,
      memoryFreeMiB: memory.freeMiB,
      // nvidia-smi does not report utilisation per MIG instance.
      utilizationPct: undefined,
      processes: mine.map(publicProcess),
      mig: {
        parentUuid: parent.uuid,
        deviceIndex,
        ...(profile === undefined ? {} : { profile }),
        ...(gpuInstanceId === undefined ? {} : { gpuInstanceId }),
        ...(computeInstanceId === undefined ? {} : { computeInstanceId }),
      },
    };
    delete info.migEnabled;
    return info;
  });
}

/**
 * Converts the object xml2js makes of `nvidia-smi -q -x` (explicitArray false, trim true, as
 * node-nvidia-smi calls it) into GpuInfo entries. GPUs are numbered in document order, which is
 * nvidia-smi's own index order.
 */
export function gpusFromNvidiaSmiLog(tree: unknown, options: NvidiaSmiXmlOptions = {}): GpuInfo[] {
  const log = xmlChild(tree, 'nvidia_smi_log');
  if (log === undefined || typeof log !== 'object') {
    throw new InvalidOptionError('xml', tree, 'nvidia-smi -q -x output with an <nvidia_smi_log> root');
  }
  const driverVersion = smiText(xmlText(log, 'driver_version'));
  const result: GpuInfo[] = [];
  xmlChildren(log, 'gpu').forEach((gpu, index) => {
    const field = `xml.gpu[${index}]`;
    const memory = readMemory(gpu, field);
    const processes = readProcesses(gpu);
    const pciBusId = smiText(xmlText(gpu, 'pci', 'pci_bus_id')) ?? smiText(xmlAttribute(gpu, 'id'));
    const migEnabled = smiText(xmlText(gpu, 'mig_mode', 'current_mig'))?.toLowerCase() === 'enabled';
    const info: GpuInfo = {
      index,
      uuid: required(smiText(xmlText(gpu, 'uuid')), `${field}.uuid`, 'a GPU UUID'),
      name: required(smiText(xmlText(gpu, 'product_name')), `${field}.product_name`, 'a product name'),
      memoryTotalMiB: memory.totalMiB,
      memoryUsedMiB: memory.usedMiB,
      memoryFreeMiB: memory.freeMiB,
      utilizationPct: parseSmiNumber(xmlText(gpu, 'utilization', 'gpu_util'), '%'),
      processes: processes.map(publicProcess),
      ...(driverVersion === undefined ? {} : { driverVersion }),
      ...(pciBusId === undefined ? {} : { pciBusId }),
      ...(migEnabled ? { migEnabled } : {}),
    };
    const instances =
      migEnabled && options.expandMig !== false ? migInstances(gpu, info, processes, field) : [];
    result.push(...(instances.length > 0 ? instances : [info]));
  });
  return result;
}
