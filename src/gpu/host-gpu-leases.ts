// Host-wide GPU leases: one lease file per GPU in a directory every study process on the host shares, created
// atomically, naming the owner process; a lease whose owner is gone is reclaimed by the next process that wants it.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { currentOwner, type LeaseOwner, ownerAlive } from './lease-owner.js';

/** What a lease file says: the GPU, its owner process, the study and when it was leased. */
export interface HostLeaseInfo extends LeaseOwner {
  /** The GPU's uuid. */
  gpu: string;
  studyId?: string | undefined;
  /** ISO time the lease was taken. */
  leasedAt: string;
}

/** Options of HostGpuLeases. */
export interface HostGpuLeasesOptions {
  /** The shared directory of lease files (created when missing, writable by every user). */
  dir: string;
  /** Written into the lease files, for whoever waits on them. */
  studyId?: string | undefined;
  /** Wall clock for the lease time. @default Date.now */
  wallMs?: () => number;
}

// A garbled file older than this is no lease being written (files appear whole, by link) and is reclaimed.
const GARBLED_STALE_MS = 10_000;
// A reclaim holds its lock for the time of one read and one unlink; a lock this old was left by a dead process.
const RECLAIM_LOCK_STALE_MS = 10_000;
const RECLAIM_LOCK = '.reclaim.lock';

const live = new Set<HostGpuLeases>();
const releaseOnExit = (): void => {
  for (const leases of live) leases.releaseAll();
};

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function parseLease(text: string): HostLeaseInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<HostLeaseInfo>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string' || typeof value.gpu !== 'string')
      return undefined;
    return value as HostLeaseInfo;
  } catch {
    return undefined;
  }
}

function ageMs(file: string, nowMs: number): number {
  try {
    return nowMs - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

// Writes `text` to a private file beside `file`, then links it to `file`: the name appears atomically, with its
// whole content, or not at all (EEXIST) when another process has it.
function createExclusive(file: string, text: string): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode: 0o644 });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
}

/**
 * The GPU leases of this process in a directory shared by every study process on the host. `claim` takes a set of
 * GPUs all or none, each by creating `<uuid>.lease` atomically; `holder` says who else holds one, after reclaiming
 * the lease of an owner that no longer runs (pid gone, or reused by a process with another start time). Leases are
 * released by `release`, and by the process's exit.
 */
export class HostGpuLeases {
  readonly dir: string;
  readonly #studyId: string | undefined;
  readonly #wallMs: () => number;
  readonly #owner = currentOwner();
  /** uuid -> the exact text of our lease file. */
  readonly #held = new Map<string, string>();

  constructor(options: HostGpuLeasesOptions) {
    const { dir, studyId, wallMs = Date.now } = options;
    if (typeof dir !== 'string' || dir === '') {
      throw new InvalidOptionError('gpuLeases.dir', dir, 'a non-empty directory path');
    }
    this.dir = path.resolve(dir);
    this.#studyId = studyId;
    this.#wallMs = wallMs;
    try {
      const first = mkdirSync(this.dir, { recursive: true });
      // Every user's studies share the directory: what this process creates, any user may write in.
      if (first !== undefined) {
        for (let d = this.dir; d.length >= first.length; d = path.dirname(d)) chmodSync(d, 0o777);
      }
    } catch (error) {
      throw new InvalidOptionError('gpuLeases.dir', dir, 'a directory this process can create and write in', {
        cause: error,
      });
    }
  }

  /** The uuids this instance holds. */
  get held(): readonly string[] {
    return [...this.#held.keys()];
  }

  #file(uuid: string): string {
    return path.join(this.dir, `${encodeURIComponent(uuid)}.lease`);
  }

  /**
   * Who holds the GPU, or undefined when it is free. A lease of an owner that no longer runs (or a garbled file
   * left long ago) is removed on the way and the GPU reported free. GPUs this instance holds are reported too.
   */
  holder(uuid: string): HostLeaseInfo | undefined {
    const file = this.#file(uuid);
    const text = readText(file);
    if (text === undefined) return undefined;
    const info = parseLease(text);
    if (info ? ownerAlive(info) : ageMs(file, this.#wallMs()) < GARBLED_STALE_MS) {
      return info ?? { gpu: uuid, pid: 0, host: 'unknown', leasedAt: 'unknown' };
    }
    return this.#reclaim(file, text)
      ? undefined
      : (info ?? { gpu: uuid, pid: 0, host: 'unknown', leasedAt: 'unknown' });
  }

  /** Takes every GPU of the set or none: false when another process (or instance) holds one of them. */
  claim(uuids: readonly string[]): boolean {
    const taken: string[] = [];
    for (const uuid of uuids) {
      if (this.#held.has(uuid)) continue;
      const text = JSON.stringify({
        gpu: uuid,
        ...this.#owner,
        ...(this.#studyId === undefined ? {} : { studyId: this.#studyId }),
        leasedAt: new Date(this.#wallMs()).toISOString(),
        token: randomBytes(8).toString('hex'),
      });
      // A dead owner's lease goes first, then the name is ours if nobody was quicker.
      if (this.holder(uuid) === undefined && createExclusive(this.#file(uuid), text)) {
        this.#held.set(uuid, text);
        taken.push(uuid);
        continue;
      }
      this.release(taken);
      return false;
    }
    if (this.#held.size > 0 && !live.has(this)) {
      if (live.size === 0) process.on('exit', releaseOnExit);
      live.add(this);
    }
    return true;
  }

  /** Gives the GPUs back; a GPU this instance does not hold is left alone. */
  release(uuids: readonly string[]): void {
    for (const uuid of uuids) {
      const text = this.#held.get(uuid);
      if (text === undefined) continue;
      this.#held.delete(uuid);
      const file = this.#file(uuid);
      // Only our own lease: had it been reclaimed by mistake and retaken, the file is someone else's now.
      if (readText(file) === text) unlinkQuietly(file);
    }
    if (this.#held.size === 0 && live.delete(this) && live.size === 0) process.off('exit', releaseOnExit);
  }

  /** Gives back every GPU this instance holds (on exit, or a signal that ends the process). */
  releaseAll(): void {
    this.release(this.held);
  }

  // Removes a stale lease file if it still has the text judged stale, under a directory-wide lock so that two
  // processes reclaiming at once cannot remove a lease one of them has just taken. False when busy.
  #reclaim(file: string, staleText: string): boolean {
    const lock = path.join(this.dir, RECLAIM_LOCK);
    if (!createExclusive(lock, JSON.stringify(this.#owner))) {
      if (ageMs(lock, this.#wallMs()) < RECLAIM_LOCK_STALE_MS) return false;
      unlinkQuietly(lock);
      if (!createExclusive(lock, JSON.stringify(this.#owner))) return false;
    }
    try {
      if (readText(file) !== staleText) return readText(file) === undefined;
      unlinkQuietly(file);
      return true;
    } finally {
      unlinkQuietly(lock);
    }
  }
}
