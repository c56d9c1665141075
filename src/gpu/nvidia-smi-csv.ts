// parseNvidiaSmiCsv: `nvidia-smi --query-gpu=... --format=csv` (plus compute apps) to GpuInfo entries.

import { InvalidOptionError } from '../errors.js';
import { readCsvTable } from './csv-table.js';
import type { GpuInfo, GpuProcess } from './gpu-info.js';
import { parseSmiInteger, parseSmiNumber, smiText } from './nvidia-smi-values.js';

/** The `--query-gpu` fields parseNvidiaSmiCsv reads; the first six are required. */
export const NVIDIA_SMI_QUERY_GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'memory.total',
  'memory.used',
  'memory.free',
  'utilization.gpu',
  'driver_version',
  'pci.bus_id',
  'mig.mode.current',
] as const;

/** The `--query-compute-apps` fields parseNvidiaSmiCsv reads. */
export const NVIDIA_SMI_QUERY_COMPUTE_APPS_FIELDS = [
  'gpu_uuid',
  'pid',
  'process_name',
  'used_memory',
] as const;

function requireColumns(header: string[], columns: readonly string[], option: string): void {
  for (const column of columns) {
    if (!header.includes(column)) {
      throw new InvalidOptionError(option, header.join(', '), `a CSV header with the column "${column}"`);
    }
  }
}

function readProcesses(computeAppsCsv: string): Map<string, GpuProcess[]> {
  const table = readCsvTable(computeAppsCsv, 'process_name');
  // nvidia-smi prints the used_memory column as `used_gpu_memory [MiB]`.
  const memoryColumn = table.header.includes('used_gpu_memory') ? 'used_gpu_memory' : 'used_memory';
  requireColumns(table.header, ['gpu_uuid', 'pid', 'process_name', memoryColumn], 'computeAppsCsv');
  const byGpu = new Map<string, GpuProcess[]>();
  table.rows.forEach((row, i) => {
    const pid = parseSmiInteger(row.get('pid'));
    if (pid === undefined)
      throw new InvalidOptionError(`computeAppsCsv[${i}].pid`, row.get('pid'), 'a process id');
    const uuid = row.get('gpu_uuid') ?? '';
    const list = byGpu.get(uuid) ?? [];
    list.push({
      pid,
      name: smiText(row.get('process_name')) ?? '',
      usedMemoryMiB: parseSmiNumber(row.get(memoryColumn), 'MiB') ?? 0,
    });
    byGpu.set(uuid, list);
  });
  return byGpu;
}

function requiredNumber(row: Map<string, string>, column: string, unit: string, i: number): number {
  const value = parseSmiNumber(row.get(column), unit);
  if (value === undefined) {
    throw new InvalidOptionError(
      `queryGpuCsv[${i}].${column}`,
      row.get(column),
      `a number${unit ? ` in ${unit}` : ''}`,
    );
  }
  return value;
}

/**
 * Parses `nvidia-smi --query-gpu=<fields> --format=csv` output (with its header; units may be on or
 * off) into GpuInfo entries, one per GPU. Pass the `--query-compute-apps=gpu_uuid,pid,process_name,
 * used_memory --format=csv` output to fill `processes`. The query must include at least index, uuid,
 * name, memory.total, memory.used and memory.free (see NVIDIA_SMI_QUERY_GPU_FIELDS).
 * MIG instances are not listed by this query: a GPU in MIG mode has `migEnabled: true`.
 */
export function parseNvidiaSmiCsv(queryGpuCsv: string, computeAppsCsv?: string): GpuInfo[] {
  if (typeof queryGpuCsv !== 'string') throw new InvalidOptionError('queryGpuCsv', queryGpuCsv, 'a string');
  const table = readCsvTable(queryGpuCsv);
  requireColumns(table.header, NVIDIA_SMI_QUERY_GPU_FIELDS.slice(0, 6), 'queryGpuCsv');
  const processes =
    computeAppsCsv === undefined ? new Map<string, GpuProcess[]>() : readProcesses(computeAppsCsv);
  return table.rows.map((row, i) => {
    const index = requiredNumber(row, 'index', '', i);
    const uuid = smiText(row.get('uuid'));
    const name = smiText(row.get('name'));
    if (uuid === undefined)
      throw new InvalidOptionError(`queryGpuCsv[${i}].uuid`, row.get('uuid'), 'a GPU UUID');
    if (name === undefined)
      throw new InvalidOptionError(`queryGpuCsv[${i}].name`, row.get('name'), 'a product name');
    const driverVersion = smiText(row.get('driver_version'));
    const pciBusId = smiText(row.get('pci.bus_id'));
    const migEnabled = smiText(row.get('mig.mode.current'))?.toLowerCase() === 'enabled';
    return {
      index,
      uuid,
      name,
      memoryTotalMiB: requiredNumber(row, 'memory.total', 'MiB', i),
      memoryUsedMiB: requiredNumber(row, 'memory.used', 'MiB', i),
      memoryFreeMiB: requiredNumber(row, 'memory.free', 'MiB', i),
      utilizationPct: parseSmiNumber(row.get('utilization.gpu'), '%'),
      processes: processes.get(uuid) ?? [],
      ...(driverVersion === undefined ? {} : { driverVersion }),
      ...(pciBusId === undefined ? {} : { pciBusId }),
      ...(migEnabled ? { migEnabled } : {}),
    };
  });
}
