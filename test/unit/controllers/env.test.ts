import { afterEach, describe, expect, it } from 'vitest';
import { cudaVisibleDevices, engineEnv } from '../../../src/controllers/env.js';
import { containerCommand, serverArgs } from '../../../src/controllers/server-argv.js';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import { clearRegisteredSecrets, redactText } from '../../../src/util/redact.js';

afterEach(() => clearRegisteredSecrets());

const gpu = (index: number, mig = false): GpuInfo => ({
  index,
  uuid: mig ? `MIG-${index}` : `GPU-${index}`,
  name: 'x',
  memoryTotalMiB: 1,
  memoryUsedMiB: 0,
  memoryFreeMiB: 1,
  utilizationPct: undefined,
  processes: [],
  ...(mig ? { mig: { parentUuid: 'GPU-0' } } : {}),
});

const spec = (overrides: Partial<LaunchSpec> = {}): LaunchSpec => ({
  runtime: 'sim',
  command: 'x',
  args: [],
  env: { A: '1' },
  portFlag: '--port',
  readiness: { path: '/health' },
  gpus: [],
  studyId: 's',
  trialId: 't',
  ...overrides,
});

describe('engineEnv', () => {
  it.each([
    [[gpu(0), gpu(3)], '0,3'],
    [[gpu(1, true)], 'MIG-1'],
  ])('CUDA_VISIBLE_DEVICES for %j', (gpus, expected) => {
    expect(cudaVisibleDevices(gpus)).toBe(expected);
    expect(engineEnv(spec({ gpus }), { hostEnv: {} }).env['CUDA_VISIBLE_DEVICES']).toBe(expected);
  });

  it('passes proxies, exports the host HF token under both names as secrets and redacts it', () => {
    const out = engineEnv(spec(), {
      hostEnv: {
        HTTPS_PROXY: 'http://u:pw-1234@proxy:3128',
        HUGGING_FACE_HUB_TOKEN: 'tok-abcdef',
        HOME: '/h',
      },
    });
    expect(out.env).toEqual({ A: '1', HTTPS_PROXY: 'http://u:pw-1234@proxy:3128' });
    expect(out.secretEnv).toEqual({ HF_TOKEN: 'tok-abcdef', HUGGING_FACE_HUB_TOKEN: 'tok-abcdef' });
    expect(redactText('token tok-abcdef pass pw-1234')).toBe('token [REDACTED] pass [REDACTED]');
  });

  it('prefers the spec token, moves a token given as plain env to the secrets, and skips CUDA when asked', () => {
    const out = engineEnv(spec({ env: { HF_TOKEN: 'plain-token' }, gpus: [gpu(0)] }), {
      hostEnv: { HF_TOKEN: 'host-token' },
      cudaVisibleDevices: false,
    });
    expect(out.env).toEqual({});
    expect(out.secretEnv['HF_TOKEN']).toBe('plain-token');
  });
});

describe('server arguments', () => {
  it.each([
    [{ hostFlag: '--host' }, ['--model', 'm', '--host', '0.0.0.0', '--port', '8000'], ['x', '--model', 'm']],
    [{ hostFlag: undefined }, ['--model', 'm', '--port', '8000'], ['x', '--model', 'm']],
  ])('appends host and port flags (%j)', (extra, args, cmdHead) => {
    const s = spec({ args: ['--model', 'm'], ...extra });
    expect(serverArgs(s, '0.0.0.0', 8000)).toEqual(args);
    const container = containerCommand(s);
    expect(container.cmd).toEqual([...cmdHead, ...args.slice(2)]);
    expect(container.entrypoint).toBeUndefined();
    expect(containerCommand({ ...s, entrypoint: ['/bin/e'], containerPort: 9000 }).cmd).toContain('9000');
  });
});
