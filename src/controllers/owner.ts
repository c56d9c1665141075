// The tuner process that owns what a controller starts (its host and pid), and whether that owner is gone.
import os from 'node:os';
import { sanitizeLabelValue } from './names.js';

/** This host's name as a label value. */
export function ownerHost(): string {
  return sanitizeLabelValue(os.hostname());
}

/** Whether a process with this pid exists here (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True only when the owner is provably dead: it ran on this host and its pid is gone. A missing or foreign
 * host, or an unreadable pid, counts as alive, so nothing of a live tuner or of another host is ever reaped.
 */
export function ownerGone(owner: { host?: string | undefined; pid?: string | number | undefined }): boolean {
  if (owner.host === undefined || owner.host !== ownerHost()) return false;
  const pid = Number(owner.pid);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return !pidAlive(pid);
}
