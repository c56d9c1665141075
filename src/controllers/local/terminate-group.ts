// SIGTERM to a whole process group, then SIGKILL after a grace period.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, systemClock } from '../../util/clock.js';
import { groupAlive, signalGroup } from './proc.js';

const POLL_MS = 25;

/**
 * Terminates process group `pgid`: SIGTERM, then SIGKILL when members remain after `graceMs` of `clock` time
 * (at once when `signal` aborts). Resolves once no member is left (or after a final 5 s budget).
 */
export async function terminateGroup(
  pgid: number,
  graceMs: number,
  signal?: AbortSignal,
  clock: Clock = systemClock,
): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = clock.now() + graceMs;
  while (groupAlive(pgid) && clock.now() < deadline && !signal?.aborted) {
    await sleep(POLL_MS);
  }
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGKILL');
  const killDeadline = clock.now() + 5_000;
  while (groupAlive(pgid) && clock.now() < killDeadline) await sleep(POLL_MS);
}
