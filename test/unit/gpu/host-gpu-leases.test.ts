// Host GPU lease files: one holder at a time across real processes, dead owners reclaimed, pid reuse told apart.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { HostGpuLeases } from '../../../src/gpu/host-gpu-leases.js';
import { processStartTime } from '../../../src/gpu/lease-owner.js';

const root = path.resolve(import.meta.dirname, '../../..');
const loader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const child = path.join(root, 'test/support/lease-race-child.ts');
let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'leases-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(...args: string[]): { process: ChildProcess; line: (n: number) => Promise<string> } {
  const proc = spawn(process.execPath, ['--import', loader, child, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(proc);
  let text = '';
  const waiters: Array<{ n: number; resolve: (line: string) => void }> = [];
  proc.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const lines = text.split('\n').slice(0, -1);
    for (const w of waiters.splice(0)) {
      if (lines.length > w.n) w.resolve(lines[w.n] as string);
      else waiters.push(w);
    }
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      waiters.push({ n, resolve });
      proc.on('exit', (code) => reject(new Error(`child exited (${code}) before line ${n}: ${text}`)));
    });
  return { process: proc, line };
}

const leaseFile = (uuid: string) => path.join(dir, `${encodeURIComponent(uuid)}.lease`);
const lease = (fields: Record<string, unknown>) =>
  JSON.stringify({ gpu: 'GPU-a', host: hostname(), leasedAt: new Date().toISOString(), ...fields });

describe('HostGpuLeases', () => {
  it('writes one file per GPU naming the owner process, start time, study and lease time; removes it on release', () => {
    const leases = new HostGpuLeases({ dir, studyId: 'study-1', wallMs: () => Date.UTC(2026, 0, 2) });
    expect(leases.claim(['GPU-a', 'static:local:1'])).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['GPU-a.lease', 'static%3Alocal%3A1.lease']);
    const written = JSON.parse(readFileSync(leaseFile('GPU-a'), 'utf8'));
    expect(written).toMatchObject({
      gpu: 'GPU-a',
      pid: process.pid,
      startTime: processStartTime(process.pid),
      host: hostname(),
      studyId: 'study-1',
      leasedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(written.startTime).toMatch(/^\d+$/);
    leases.release(['GPU-a', 'static:local:1']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes a set all or none: a GPU held by another instance leaves the others free', () => {
    const first = new HostGpuLeases({ dir, studyId: 'a' });
    const second = new HostGpuLeases({ dir, studyId: 'b' });
    expect(first.claim(['GPU-b'])).toBe(true);
    expect(second.holder('GPU-b')).toMatchObject({ pid: process.pid, studyId: 'a' });
    expect(second.claim(['GPU-a', 'GPU-b'])).toBe(false);
    expect(second.held).toEqual([]);
    expect(second.holder('GPU-a')).toBeUndefined();
    first.releaseAll();
    expect(second.claim(['GPU-a', 'GPU-b'])).toBe(true);
    second.releaseAll();
  });

  it.each([
    ['a pid that no longer runs', { pid: 2 ** 22 + 12_345, startTime: '1' }, false],
    ['a running pid with another start time (reused)', { pid: process.pid, startTime: '1' }, false],
    [
      'a running pid with its start time',
      { pid: process.pid, startTime: processStartTime(process.pid) },
      true,
    ],
    ['a process on another host', { pid: 2 ** 22 + 12_345, host: 'elsewhere.example' }, true],
  ])('a lease of %s is held: %s', (_, fields, held) => {
    writeFileSync(leaseFile('GPU-a'), lease(fields));
    const leases = new HostGpuLeases({ dir });
    expect(leases.holder('GPU-a') !== undefined).toBe(held);
    expect(leases.claim(['GPU-a'])).toBe(!held);
    leases.releaseAll();
  });

  it('a garbled file counts as held while fresh and is reclaimed once old', () => {
    writeFileSync(leaseFile('GPU-a'), '{"gpu":');
    const leases = new HostGpuLeases({ dir });
    expect(leases.holder('GPU-a')).toMatchObject({ pid: 0 });
    const old = new Date(Date.now() - 60_000);
    utimesSync(leaseFile('GPU-a'), old, old);
    expect(leases.claim(['GPU-a'])).toBe(true);
    leases.releaseAll();
  });

  it('a directory it cannot create is an InvalidOptionError naming gpuLeases.dir', () => {
    writeFileSync(path.join(dir, 'file'), '');
    expect(() => new HostGpuLeases({ dir: path.join(dir, 'file', 'leases') })).toThrow(InvalidOptionError);
    expect(() => new HostGpuLeases({ dir: path.join(dir, 'file', 'leases') })).toThrow(/gpuLeases\.dir/);
  });

  it("two processes racing for one GPU (starting from a dead owner's lease) never hold it at once", async () => {
    writeFileSync(leaseFile('GPU-a'), lease({ pid: 2 ** 22 + 12_345, startTime: '1' }));
    const marks = mkdtempSync(path.join(dir, 'marks-'));
    const racers = [start('race', dir, 'GPU-a', marks, '2000'), start('race', dir, 'GPU-a', marks, '2000')];
    await Promise.all(racers.map((r) => r.line(0)));
    writeFileSync(path.join(marks, 'go'), '');
    const results = (await Promise.all(racers.map((r) => r.line(1)))).map(
      (line) => JSON.parse(line) as { claims: number; overlaps: number },
    );
    for (const result of results) {
      expect(result.overlaps).toBe(0);
      expect(result.claims).toBeGreaterThan(0);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.lease') || f.endsWith('.lock'))).toEqual([]);
  }, 120_000);

  it("a SIGKILLed owner's lease is taken back by another process", async () => {
    const holder = start('hold', dir, 'GPU-a');
    expect(await holder.line(0)).toBe('held');
    const leases = new HostGpuLeases({ dir });
    expect(leases.holder('GPU-a')).toMatchObject({ pid: holder.process.pid });
    expect(leases.claim(['GPU-a'])).toBe(false);
    const exited = new Promise((resolve) => holder.process.once('exit', resolve));
    holder.process.kill('SIGKILL');
    await exited;
    expect(leases.claim(['GPU-a'])).toBe(true);
    expect(JSON.parse(readFileSync(leaseFile('GPU-a'), 'utf8')).pid).toBe(process.pid);
    leases.releaseAll();
  }, 120_000);
});
