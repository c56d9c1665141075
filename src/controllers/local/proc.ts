// Process facts from /proc (Linux) used to verify that a process group recorded on disk is still ours.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Environment variable carrying a server's id into the engine and every process it starts. */
export const SERVER_MARKER_ENV = 'INFERENCE_AUTOTUNER_SERVER';

const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

interface ProcStat {
  state: string;
  pgrp: number;
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** Start time of a process (Linux: clock ticks since boot; elsewhere `ps` lstart) or undefined when it is gone. */
export function processStartTime(pid: number): string | undefined {
  if (hasProc) return readStat(pid)?.startTime;
  try {
    const text = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 5_000,
    });
    return text.trim() || undefined;
  } catch {
    return undefined;
  }
}

function hasMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .includes(`${SERVER_MARKER_ENV}=${marker}`);
  } catch {
    return false;
  }
}

/** Live (non-zombie) pids in process group `pgid` that carry our marker; `undefined` when /proc is missing. */
export function markedGroupMembers(pgid: number, marker: string): number[] | undefined {
  if (!hasProc) return undefined;
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readStat(pid);
    if (!stat || stat.pgrp !== pgid || stat.state === 'Z' || stat.state === 'X') continue;
    if (hasMarker(pid, marker)) members.push(pid);
  }
  return members;
}

/** True while any live member of process group `pgid` exists (zombies do not count where /proc says so). */
export function groupAlive(pgid: number): boolean {
  if (hasProc) {
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      const stat = readStat(pid);
      if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to a whole process group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n')) {
      // Cheap filter first: the local address ends with the port; state 0A means LISTEN.
      if (!row.includes(portHex) || !row.includes(' 0A ')) continue;
      const cols = row.trim().split(/\s+/);
      const local = cols[1] ?? '';
      if (cols[3] === '0A' && local.endsWith(portHex.trim()) && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

function groupPids(pgid: number): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    const pid = Number(entry);
    return Number.isInteger(pid) && pid > 0 && readStat(pid)?.pgrp === pgid ? [pid] : [];
  });
}

function socketInodes(pids: readonly number[]): Set<string> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return inodes;
}

/**
 * Whether a process of group `pgid` holds a listening socket on `port` (so a readiness probe reaches
 * our server, not another one that took the port). `undefined` when /proc cannot tell.
 */
export function groupListensOn(pgid: number, port: number): boolean | undefined {
  if (!hasProc) return undefined;
  const listening = listeningInodes(port);
  if (listening.size === 0) return false;
  // The leader (pid = pgid) usually holds the socket; scan the rest of the group only when it does not.
  for (const pids of [[pgid], groupPids(pgid).filter((pid) => pid !== pgid)]) {
    const ours = socketInodes(pids);
    for (const inode of listening) if (ours.has(inode)) return true;
  }
  return false;
}
