import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  groupAlive,
  groupListensOn,
  markedGroupMembers,
  processStartTime,
  SERVER_MARKER_ENV,
} from '../../../src/controllers/local/proc.js';
import { ProcessRegistry, type RegistryEntry } from '../../../src/controllers/local/process-registry.js';
import { terminateGroup } from '../../../src/controllers/local/terminate-group.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** A detached node process (its own group) with a marker, optionally listening; resolves once it is up. */
async function group(marker: string, listen = false): Promise<{ pid: number; port: number }> {
  const code = listen
    ? "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))"
    : 'console.log(0);setInterval(()=>{},1000)';
  const child = spawn(process.execPath, ['-e', code], {
    detached: true,
    env: { ...process.env, [SERVER_MARKER_ENV]: marker },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  const port = await new Promise<number>((resolve) =>
    child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString()))),
  );
  return { pid: child.pid as number, port };
}

describe.runIf(process.platform === 'linux')('process facts from /proc', () => {
  it('finds marked members of a group, its listening port, and sees it gone after terminateGroup', async () => {
    const { pid, port } = await group('marker-a', true);
    expect(processStartTime(pid)).toMatch(/^\d+$/);
    expect(markedGroupMembers(pid, 'marker-a')).toEqual([pid]);
    expect(markedGroupMembers(pid, 'marker-b')).toEqual([]);
    expect(groupListensOn(pid, port)).toBe(true);
    expect(groupListensOn(pid, port === 65_535 ? 1 : port + 1)).toBe(false);
    expect(groupAlive(pid)).toBe(true);
    const child = children.find((c) => c.pid === pid) as ChildProcess;
    const reaped = new Promise((resolve) => child.once('exit', resolve));
    await terminateGroup(pid, 2_000);
    // A zombie (exited, not yet reaped) no longer counts as alive.
    expect(groupAlive(pid)).toBe(false);
    await reaped;
    expect(processStartTime(pid)).toBeUndefined();
  });
});

describe('ProcessRegistry', () => {
  it('adds, lists and removes entries, skipping unreadable files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autotune-registry-'));
    try {
      const registry = new ProcessRegistry(dir);
      expect(registry.list()).toEqual([]);
      const entry: RegistryEntry = {
        id: 'a1',
        pid: 1,
        pgid: 1,
        startTime: '5',
        study: 's',
        trial: 't',
        run: 'r',
        command: 'x',
        port: 1,
        logFile: '/dev/null',
        createdAtMs: 0,
      };
      registry.add(entry);
      registry.add({ ...entry, id: 'b2' });
      writeFileSync(path.join(registry.dir, 'broken.json'), '{');
      expect(
        registry
          .list()
          .map((e) => e.id)
          .sort(),
      ).toEqual(['a1', 'b2']);
      registry.remove('a1');
      expect(registry.list().map((e) => e.id)).toEqual(['b2']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
