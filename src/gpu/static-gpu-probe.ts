// StaticGpuProbe: GPUs the user declares (remote hosts, Kubernetes nodes, fake GPUs for tests).

import { InvalidOptionError } from '../errors.js';
import type { GpuInfo, GpuProcess } from './gpu-info.js';
import type { GpuProbe, GpuProbeOptions, GpuProbeResult } from './gpu-probe.js';

/** One declared GPU. Only `index` and `memoryTotalMiB` are required. */
export interface StaticGpuEntry {
  /** Index on its host (what CUDA_VISIBLE_DEVICES would use there). */
  index: number;
  memoryTotalMiB: number;
  /** @default `static:<host or "local">:<index>` */
  uuid?: string;
  /** @default 'GPU' */
  name?: string;
  /** @default memoryTotalMiB - memoryFreeMiB, or 0 */
  memoryUsedMiB?: number;
  /** @default memoryTotalMiB - memoryUsedMiB */
  memoryFreeMiB?: number;
  /** @default undefined (not reported) */
  utilizationPct?: number | undefined;
  /** @default [] */
  processes?: GpuProcess[];
  host?: string;
  driverVersion?: string;
  pciBusId?: string;
  mig?: GpuInfo['mig'];
  migEnabled?: boolean;
}

const KNOWN_KEYS = new Set([
  'index',
  'memoryTotalMiB',
  'uuid',
  'name',
  'memoryUsedMiB',
  'memoryFreeMiB',
  'utilizationPct',
  'processes',
  'host',
  'driverVersion',
  'pciBusId',
  'mig',
  'migEnabled',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mib(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(field, value, 'a finite amount of MiB >= 0');
  }
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new InvalidOptionError(field, value, 'a non-empty string');
  return value;
}

function normalizeProcesses(value: unknown, field: string): GpuProcess[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new InvalidOptionError(field, value, 'an array of { pid, name, usedMemoryMiB }');
  return value.map((p: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(p)) throw new InvalidOptionError(at, p, 'an object { pid, name, usedMemoryMiB }');
    if (!Number.isInteger(p['pid']) || (p['pid'] as number) < 0)
      throw new InvalidOptionError(`${at}.pid`, p['pid'], 'a process id');
    if (typeof p['name'] !== 'string') throw new InvalidOptionError(`${at}.name`, p['name'], 'a string');
    return {
      pid: p['pid'] as number,
      name: p['name'],
      usedMemoryMiB: mib(p['usedMemoryMiB'], `${at}.usedMemoryMiB`),
    };
  });
}

function normalizeEntry(entry: unknown, field: string): GpuInfo {
  if (!isRecord(entry))
    throw new InvalidOptionError(field, entry, 'an object with at least index and memoryTotalMiB');
  for (const key of Object.keys(entry)) {
    if (!KNOWN_KEYS.has(key))
      throw new InvalidOptionError(`${field}.${key}`, entry[key], `one of ${[...KNOWN_KEYS].join(', ')}`);
  }
  const { index, utilizationPct, mig, migEnabled } = entry;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new InvalidOptionError(`${field}.index`, index, 'an integer >= 0');
  }
  const total = mib(entry['memoryTotalMiB'], `${field}.memoryTotalMiB`);
  if (total === 0) throw new InvalidOptionError(`${field}.memoryTotalMiB`, total, 'a size in MiB > 0');
  const usedIn =
    entry['memoryUsedMiB'] === undefined ? undefined : mib(entry['memoryUsedMiB'], `${field}.memoryUsedMiB`);
  const freeIn =
    entry['memoryFreeMiB'] === undefined ? undefined : mib(entry['memoryFreeMiB'], `${field}.memoryFreeMiB`);
  if (usedIn !== undefined && usedIn > total) {
    throw new InvalidOptionError(`${field}.memoryUsedMiB`, usedIn, `at most memoryTotalMiB = ${total}`);
  }
  if (freeIn !== undefined && freeIn > total) {
    throw new InvalidOptionError(`${field}.memoryFreeMiB`, freeIn, `at most memoryTotalMiB = ${total}`);
  }
  const used = usedIn ?? (freeIn === undefined ? 0 : total - freeIn);
  const free = freeIn ?? total - used;
  // Drivers reserve some memory, so used + free may be below the total, never above it.
  if (used + free > total) {
    throw new InvalidOptionError(
      `${field}.memoryFreeMiB`,
      free,
      `at most memoryTotalMiB - memoryUsedMiB = ${total - used}`,
    );
  }
  if (
    utilizationPct !== undefined &&
    (typeof utilizationPct !== 'number' || !(utilizationPct >= 0 && utilizationPct <= 100))
  ) {
    throw new InvalidOptionError(`${field}.utilizationPct`, utilizationPct, 'a percentage in [0, 100]');
  }
  if (
    mig !== undefined &&
    (!isRecord(mig) || typeof mig['parentUuid'] !== 'string' || mig['parentUuid'] === '')
  ) {
    throw new InvalidOptionError(`${field}.mig`, mig, 'an object with a parentUuid');
  }
  if (migEnabled !== undefined && typeof migEnabled !== 'boolean') {
    throw new InvalidOptionError(`${field}.migEnabled`, migEnabled, 'a boolean');
  }
  const host = optionalText(entry['host'], `${field}.host`);
  const driverVersion = optionalText(entry['driverVersion'], `${field}.driverVersion`);
  const pciBusId = optionalText(entry['pciBusId'], `${field}.pciBusId`);
  return {
    index,
    uuid: optionalText(entry['uuid'], `${field}.uuid`) ?? `static:${host ?? 'local'}:${index}`,
    name: optionalText(entry['name'], `${field}.name`) ?? 'GPU',
    memoryTotalMiB: total,
    memoryUsedMiB: used,
    memoryFreeMiB: free,
    utilizationPct: utilizationPct as number | undefined,
    processes: normalizeProcesses(entry['processes'], `${field}.processes`),
    ...(host === undefined ? {} : { host }),
    ...(driverVersion === undefined ? {} : { driverVersion }),
    ...(pciBusId === undefined ? {} : { pciBusId }),
    ...(mig === undefined ? {} : { mig: { ...(mig as GpuInfo['mig'] & object) } }),
    ...(migEnabled === undefined ? {} : { migEnabled }),
  };
}

/**
 * Validates a declared inventory and fills defaults. Throws InvalidOptionError naming the field
 * (`static[2].memoryTotalMiB`) for a bad value, an unknown key, a repeated uuid or a repeated
 * index on one host.
 */
export function normalizeStaticGpus(entries: readonly unknown[], option = 'static'): GpuInfo[] {
  if (!Array.isArray(entries)) throw new InvalidOptionError(option, entries, 'an array of GPU entries');
  const seenUuids = new Set<string>();
  const seenSlots = new Set<string>();
  return entries.map((entry, i) => {
    const gpu = normalizeEntry(entry, `${option}[${i}]`);
    if (seenUuids.has(gpu.uuid))
      throw new InvalidOptionError(`${option}[${i}].uuid`, gpu.uuid, 'a uuid not used by an earlier entry');
    const hostSlot = `${gpu.host ?? ''}\u0000${gpu.index}`;
    // MIG instances share their parent's index; whole GPUs may not.
    if (gpu.mig === undefined && seenSlots.has(hostSlot)) {
      throw new InvalidOptionError(
        `${option}[${i}].index`,
        gpu.index,
        `an index not used by an earlier entry on host ${gpu.host ?? '(local)'}`,
      );
    }
    seenUuids.add(gpu.uuid);
    if (gpu.mig === undefined) seenSlots.add(hostSlot);
    return gpu;
  });
}

/** A probe that returns the declared inventory (validated once, at construction). */
export class StaticGpuProbe implements GpuProbe {
  readonly source = 'static' as const;
  readonly #gpus: GpuInfo[];

  constructor(entries: readonly StaticGpuEntry[]) {
    this.#gpus = normalizeStaticGpus(entries);
  }

  /** Resolves with copies of the declared GPUs (empty with a reason when none were declared). */
  async probe(options: GpuProbeOptions = {}): Promise<GpuProbeResult> {
    if (options.signal?.aborted) throw options.signal.reason;
    const gpus = this.#gpus.map((gpu) => ({ ...gpu, processes: gpu.processes.map((p) => ({ ...p })) }));
    return gpus.length > 0
      ? { gpus, source: this.source }
      : { gpus, source: this.source, reason: 'the static GPU inventory is empty' };
  }
}
