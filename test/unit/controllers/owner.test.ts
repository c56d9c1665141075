import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { LABEL_KEYS, reapSelector, serverLabels } from '../../../src/controllers/labels.js';
import { ownerGone, ownerHost, pidAlive } from '../../../src/controllers/owner.js';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

describe('owner of a server', () => {
  it('labels every server with this host and this pid, and reaping selects this host only', () => {
    const labels = serverLabels({ studyId: 's', trialId: 't' });
    expect(labels[LABEL_KEYS.ownerHost]).toBe(ownerHost());
    expect(labels[LABEL_KEYS.ownerPid]).toBe(String(process.pid));
    expect(reapSelector('s')).toMatchObject({ [LABEL_KEYS.ownerHost]: ownerHost(), [LABEL_KEYS.study]: 's' });
    expect(ownerHost()).toMatch(/^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/);
    expect(os.hostname()).toBeTruthy();
  });

  it('tells a live pid from a dead one; a pid of another user counts as alive', async () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(await deadPid())).toBe(false);
    // pid 1 belongs to root: EPERM for other users, plain success for root; alive either way.
    expect(pidAlive(1)).toBe(true);
  });

  it.each([
    ['a dead owner on this host', () => deadPid().then((pid) => ({ host: ownerHost(), pid })), true],
    ['a live owner on this host', async () => ({ host: ownerHost(), pid: process.pid }), false],
    [
      'a dead pid on another host',
      () => deadPid().then((pid) => ({ host: `not-${ownerHost()}`, pid })),
      false,
    ],
    ['no owner labels (older versions)', async () => ({}), false],
    ['an unreadable pid', async () => ({ host: ownerHost(), pid: 'abc' }), false],
  ])('%s: reapable %s', async (_name, owner, gone) => {
    expect(ownerGone(await owner())).toBe(gone);
  });
});
