// Several controllers in one process share one set of signal handlers: every cleanup runs, then the signal
// terminates the process unless other code owns it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addSignalCleanup,
  removeSignalCleanup,
  signalCleanupInstalled,
} from '../../../src/controllers/signal-cleanup.js';

const child = fileURLToPath(new URL('./signal-cleanup-child.ts', import.meta.url));

async function interrupt(mode: 'alone' | 'owned') {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8');
  const ready = new Promise<void>((resolve) =>
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('READY\n')) resolve();
    }),
  );
  await ready;
  const exit = once(proc, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  proc.kill('SIGINT');
  const [code, signal] = await exit;
  return { out, code, signal };
}

describe('shared signal cleanup', () => {
  it('runs every cleanup, immediate, asynchronous, then last, and then lets SIGINT terminate the process', async () => {
    const { out, code, signal } = await interrupt('alone');
    expect(out).toBe('READY\nNOW\nLATER\nLAST\n');
    expect(code).toBeNull();
    expect(signal).toBe('SIGINT');
  });

  it('leaves the exit (and the last cleanups) to another SIGINT listener when there is one', async () => {
    const { out, code, signal } = await interrupt('owned');
    expect(out.split('\n').sort()).toEqual(['', 'LATER', 'NOW', 'OWNER', 'READY']);
    expect(signal).toBeNull();
    expect(code).toBe(7);
  });

  it('installs its handlers while any cleanup is registered', () => {
    const before = process.listenerCount('SIGINT');
    addSignalCleanup('a', {});
    addSignalCleanup('b', {});
    expect(signalCleanupInstalled()).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    removeSignalCleanup('a');
    expect(signalCleanupInstalled()).toBe(true);
    removeSignalCleanup('b');
    expect(signalCleanupInstalled()).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
