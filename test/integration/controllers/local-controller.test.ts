import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exitHooksInstalled } from '../../../src/controllers/local/exit-hook.js';
import { LocalController } from '../../../src/controllers/local/local-controller.js';
import { freePortCandidate } from '../../../src/controllers/ports.js';
import { LaunchError } from '../../../src/errors.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/util/redact.js';
import { controllerContract, endpointDead } from './contract.js';
import { localFixtureSpec } from './local-fixture.js';
import { localSimSpec, SIM_CRASH } from './local-sim.js';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'autotune-local-'));
const make = () => new LocalController({ stateDir, stopGraceMs: 3_000 });
const childScript = fileURLToPath(new URL('./local-tuner-child.ts', import.meta.url));

// Every process started from here on (servers, their children, tuner children) inherits this marker.
const suiteMarker = `autotune-local-suite-${process.pid}-${Date.now()}`;
process.env['AUTOTUNE_TEST_SUITE'] = suiteMarker;

/** Pids of live processes carrying this suite's marker, wherever they are. */
function markedProcesses(): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      return environ.includes(`AUTOTUNE_TEST_SUITE=${suiteMarker}`) && state !== 'Z' ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

afterAll(async () => {
  delete process.env['AUTOTUNE_TEST_SUITE'];
  for (let i = 0; i < 200 && markedProcesses().length > 0; i++) await sleep(50);
  expect(markedProcesses()).toEqual([]);
  rmSync(stateDir, { recursive: true, force: true });
});

controllerContract('local (simulated engine)', make, localSimSpec, {
  leftovers: (studyId) => make().running(studyId),
  tunerCommand: (studyId) => ({
    command: process.execPath,
    args: ['--import', 'tsx', childScript, studyId, stateDir, 'wait', 'sim'],
  }),
  crash: SIM_CRASH,
  withClock: (clock) => new LocalController({ stateDir, stopGraceMs: 3_000, clock }),
});

describe('local controller specifics', () => {
  it('fails with a LaunchError when the executable does not exist, leaving nothing behind', async () => {
    const spec = {
      ...localFixtureSpec('serve', { studyId: 'missing', trialId: 't' }),
      command: 'no-such-engine-xyz',
    };
    await expect(make().launch(spec)).rejects.toBeInstanceOf(LaunchError);
    expect(await make().running('missing')).toEqual([]);
  });

  it('redacts the HF token in its logs, kills grandchildren and removes the exit hooks once idle', async () => {
    registerSecret('hf-secret-value-1');
    const spec = localFixtureSpec('serve', { studyId: 'secret', trialId: 't' });
    const handle = await make().launch({ ...spec, secretEnv: { HF_TOKEN: 'hf-secret-value-1' } });
    expect(exitHooksInstalled()).toBe(true);
    const logs = await handle.logs();
    expect(logs).toContain('token=[REDACTED]');
    expect(logs).not.toContain('hf-secret-value-1');
    expect(await make().running('secret')).toHaveLength(1);
    await handle.stop();
    expect(await make().running('secret')).toEqual([]);
    expect(exitHooksInstalled()).toBe(false);
    clearRegisteredSecrets();
  });

  it.each([
    ['exits normally', 'exit', undefined],
    ['gets SIGTERM', 'wait', 'SIGTERM'],
    ['gets SIGINT', 'wait', 'SIGINT'],
  ] as const)('kills its servers when the tuner %s', async (_name, mode, signal) => {
    const studyId = `hook-${mode}-${signal ?? 'none'}`;
    const tuner = spawn(process.execPath, ['--import', 'tsx', childScript, studyId, stateDir, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      createInterface({ input: tuner.stdout! }).on('line', (line) => {
        if (line.startsWith('READY ')) resolve(line.slice(6));
      });
      tuner.once('exit', () => reject(new Error('tuner exited before READY')));
    });
    const gone = new Promise((resolve) => tuner.once('exit', resolve));
    if (signal) tuner.kill(signal);
    await gone;
    for (let i = 0; i < 300 && !(await endpointDead(endpoint)); i++) await sleep(50);
    expect(await endpointDead(endpoint)).toBe(true);
    for (let i = 0; i < 300 && (await make().running(studyId)).length > 0; i++) await sleep(50);
    expect(await make().running(studyId)).toEqual([]);
    await make().cleanup(studyId);
  });

  it('sends SIGKILL after the grace period to a server that ignores SIGTERM', async () => {
    const spec = localFixtureSpec('serve', { studyId: 'stubborn', trialId: 't' });
    const controller = new LocalController({ stateDir, stopGraceMs: 600 });
    const handle = await controller.launch({ ...spec, args: [...spec.args, '--ignore-sigterm'] });
    const started = performance.now();
    await handle.stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    await expect(handle.exited).resolves.toMatchObject({ signal: 'SIGKILL' });
    expect(await handle.logs()).toContain('ignoring SIGTERM');
    expect(await make().running('stubborn')).toEqual([]);
  });

  it('reports a server that dies after becoming ready through exited and forgets it', async () => {
    const spec = localFixtureSpec('serve', { studyId: 'self-exit', trialId: 't' });
    const handle = await make().launch({ ...spec, args: [spec.args[0] as string, '--exit-after-ms', '700'] });
    await expect(handle.exited).resolves.toEqual({ exitCode: 3, signal: null });
    expect(await handle.logs()).toContain('scripted crash');
    for (let i = 0; i < 200 && exitHooksInstalled(); i++) await sleep(25);
    expect(exitHooksInstalled()).toBe(false);
    expect(await make().running('self-exit')).toEqual([]);
    await handle.stop();
  });

  it('relaunches on another port when the chosen one is taken', async () => {
    const first = await make().launch(localFixtureSpec('serve', { studyId: 'ports', trialId: 'a' }));
    const picks = [Number(new URL(first.endpoint).port)];
    const controller = new LocalController({
      stateDir,
      stopGraceMs: 3_000,
      pickPort: async () => picks.shift() ?? freePortCandidate(),
    });
    const second = await controller.launch(localFixtureSpec('serve', { studyId: 'ports', trialId: 'b' }));
    expect(picks).toEqual([]);
    expect(second.endpoint).not.toBe(first.endpoint);
    await Promise.all([first.stop(), second.stop()]);
  });
});
