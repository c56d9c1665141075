// Who holds a host GPU lease, and whether that process still runs: pid, its start time (so a reused pid is not
// taken for the owner) and the host name.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The process behind a lease, as written in the lease file. */
export interface LeaseOwner {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22); undefined off Linux. */
  startTime?: string | undefined;
  host: string;
}

/**
 * Start time of a process in clock ticks since boot, from /proc/<pid>/stat, or undefined when it cannot be read
 * (no such process, or no /proc). Together with the pid it names one process: a pid reused later has another.
 */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}

// State and start time from /proc/<pid>/stat, undefined when it cannot be read.
function procStat(pid: number): { state: string; startTime: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses: count after the last.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 3 (state) is fields[0], so field 22 (starttime) is fields[19].
  const [state, startTime] = [fields[0], fields[19]];
  return state === undefined || startTime === undefined ? undefined : { state, startTime };
}

/** This process, as a lease owner. */
export function currentOwner(): LeaseOwner {
  const startTime = processStartTime(process.pid);
  return { pid: process.pid, ...(startTime === undefined ? {} : { startTime }), host: hostname() };
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the owner may still run. An owner on another host cannot be checked and counts as running; on this host
 * the pid must run and, where start times can be read, have the start time written in the lease.
 */
export function ownerAlive(owner: LeaseOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (!pidRuns(owner.pid)) return false;
  const stat = procStat(owner.pid);
  if (stat === undefined) return true;
  // A zombie (killed, not yet reaped by its parent) holds no GPU any more.
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return owner.startTime === undefined || stat.startTime === owner.startTime;
}
