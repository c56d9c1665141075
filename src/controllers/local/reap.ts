// Reaps process groups recorded in the registry: verified by the marker in their environment, then terminated.
import type { Clock } from '../../util/clock.js';
import { markedGroupMembers, processStartTime } from './proc.js';
import type { ProcessRegistry, RegistryEntry } from './process-registry.js';
import { terminateGroup } from './terminate-group.js';

/** Whether anything of a recorded group still runs and is provably ours. */
export function stillOurs(entry: RegistryEntry): boolean {
  const members = markedGroupMembers(entry.pgid, entry.id);
  if (members !== undefined) return members.length > 0;
  // Without /proc only the leader can be checked, by its start time.
  try {
    process.kill(entry.pid, 0);
  } catch {
    return false;
  }
  return entry.startTime !== undefined && processStartTime(entry.pid) === entry.startTime;
}

/** Terminates every still-running group among `entries` and forgets all of them; returns what was killed. */
export async function reapEntries(
  registry: ProcessRegistry,
  entries: readonly RegistryEntry[],
  graceMs: number,
  signal?: AbortSignal,
  clock?: Clock,
): Promise<string[]> {
  const removed: string[] = [];
  await Promise.all(
    entries.map(async (entry) => {
      signal?.throwIfAborted();
      if (stillOurs(entry)) {
        await terminateGroup(entry.pgid, graceMs, signal, clock);
        removed.push(
          `process group ${entry.pgid} (study ${entry.study}, trial ${entry.trial}, ${entry.command})`,
        );
      }
      registry.remove(entry.id);
    }),
  );
  return removed.sort();
}

/** One line describing a recorded process group. */
export function describeEntry(entry: RegistryEntry): string {
  return `process group ${entry.pgid} (study ${entry.study}, trial ${entry.trial}, ${entry.command}, port ${entry.port})`;
}
