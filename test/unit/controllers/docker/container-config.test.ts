import { describe, expect, it } from 'vitest';
import {
  containerCreateOptions,
  containerMounts,
  gpuDeviceRequests,
  listenPlan,
} from '../../../../src/controllers/docker/container-config.js';
import { resolveDockerOptions } from '../../../../src/controllers/docker/docker-options.js';
import { LABEL_KEYS } from '../../../../src/controllers/labels.js';
import type { LaunchSpec } from '../../../../src/controllers/types.js';
import { InvalidOptionError } from '../../../../src/errors.js';
import type { GpuInfo } from '../../../../src/gpu/gpu-info.js';

const gpu = (index: number, uuid: string, mig = false): GpuInfo => ({
  index,
  uuid,
  name: 'GPU',
  memoryTotalMiB: 80_000,
  memoryUsedMiB: 0,
  memoryFreeMiB: 80_000,
  utilizationPct: undefined,
  processes: [],
  ...(mig ? { mig: { parentUuid: 'GPU-parent' } } : {}),
});

const spec = (extra: Partial<LaunchSpec> = {}): LaunchSpec => ({
  runtime: 'vllm',
  command: 'vllm',
  args: ['serve', 'org/model', '--max-num-seqs', '64'],
  image: 'vllm/vllm-openai:v0.11.0',
  env: { VLLM_LOGGING_LEVEL: 'INFO' },
  portFlag: '--port',
  hostFlag: '--host',
  containerPort: 8000,
  readiness: { path: '/health' },
  gpus: [],
  studyId: 'study/1',
  trialId: 'trial-7',
  ...extra,
});

describe('gpuDeviceRequests', () => {
  it.each([
    ['uuid', [gpu(0, 'GPU-a'), gpu(3, 'GPU-b')], ['GPU-a', 'GPU-b']],
    ['index', [gpu(0, 'GPU-a'), gpu(3, 'GPU-b')], ['0', '3']],
    ['index', [gpu(1, 'MIG-x', true)], ['MIG-x']],
  ] as const)('names GPUs by %s: %j', (identifier, gpus, ids) => {
    expect(gpuDeviceRequests(gpus, identifier, 'nvidia')).toEqual([
      { Driver: 'nvidia', DeviceIDs: ids, Capabilities: [['gpu']] },
    ]);
  });

  it('asks for no device without GPUs', () => {
    expect(gpuDeviceRequests([], 'uuid', 'nvidia')).toEqual([]);
  });
});

describe('containerMounts', () => {
  const cache = { hostPath: '/srv/hf', containerPath: '/root/.cache/huggingface' };

  it('mounts the HF cache beside the model volume', () => {
    expect(
      containerMounts([{ hostPath: '/srv/models', containerPath: '/models', readOnly: true }], cache),
    ).toEqual([
      { Type: 'bind', Source: '/srv/models', Target: '/models', ReadOnly: true },
      { Type: 'bind', Source: '/srv/hf', Target: '/root/.cache/huggingface', ReadOnly: false },
    ]);
  });

  it('lets a spec volume on the cache path win over the controller default', () => {
    const mounts = containerMounts([{ hostPath: '/other', containerPath: cache.containerPath }], cache);
    expect(mounts).toHaveLength(1);
    expect(mounts[0]?.Source).toBe('/other');
  });

  it.each([
    [[{ hostPath: 'relative/dir', containerPath: '/m' }], 'volumes[0].hostPath'],
    [
      [
        { hostPath: '/a', containerPath: '/m' },
        { hostPath: '/b', containerPath: '/m' },
      ],
      'volumes[1].containerPath',
    ],
  ])('refuses %j naming %s', (volumes, option) => {
    expect(() => containerMounts(volumes, undefined)).toThrow(expect.objectContaining({ option }));
  });
});

describe('containerCreateOptions', () => {
  it('builds a bridge container: ephemeral host port on 127.0.0.1, labels, env with secrets, devices, shm, ipc', () => {
    const options = resolveDockerOptions({});
    const create = containerCreateOptions(
      spec({
        gpus: [gpu(2, 'GPU-c')],
        shmSizeBytes: 2 ** 30,
        ipcMode: 'host',
        secretEnv: { HF_TOKEN: 'hf_x' },
        labels: { team: 'perf' },
      }),
      options,
      'autotune-x',
      listenPlan(spec(), options),
    );
    expect(create.Image).toBe('vllm/vllm-openai:v0.11.0');
    expect(create.Entrypoint).toBeUndefined();
    expect(create.Cmd).toEqual([
      'vllm',
      'serve',
      'org/model',
      '--max-num-seqs',
      '64',
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
    ]);
    expect(create.ExposedPorts).toEqual({ '8000/tcp': {} });
    expect(create.HostConfig?.PortBindings).toEqual({ '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect(create.HostConfig?.DeviceRequests?.[0]?.DeviceIDs).toEqual(['GPU-c']);
    expect(create.HostConfig?.ShmSize).toBe(2 ** 30);
    expect(create.HostConfig?.IpcMode).toBe('host');
    expect(create.Env).toEqual(expect.arrayContaining(['VLLM_LOGGING_LEVEL=INFO', 'HF_TOKEN=hf_x']));
    // Docker renumbers mapped devices from 0 inside the container: the host index must not leak in.
    expect(create.Env?.some((e) => e.startsWith('CUDA_VISIBLE_DEVICES='))).toBe(false);
    expect(create.Labels).toMatchObject({
      [LABEL_KEYS.managedBy]: 'inference-autotuner',
      [LABEL_KEYS.study]: expect.stringMatching(/^study_1/),
      [LABEL_KEYS.trial]: 'trial-7',
      [LABEL_KEYS.runtime]: 'vllm',
      team: 'perf',
    });
  });

  it('uses the entrypoint override and the host network port', () => {
    const options = resolveDockerOptions({ network: 'host' });
    const launch = spec({
      entrypoint: ['python3', '-m', 'sglang.launch_server'],
      args: ['--model-path', 'm'],
    });
    const create = containerCreateOptions(launch, options, 'n', listenPlan(launch, options, 41_000));
    expect(create.Entrypoint).toEqual(['python3', '-m', 'sglang.launch_server']);
    expect(create.Cmd).toEqual(['--model-path', 'm', '--host', '127.0.0.1', '--port', '41000']);
    expect(create.HostConfig?.NetworkMode).toBe('host');
    expect(create.HostConfig?.Init).toBe(false);
    expect(
      containerCreateOptions(launch, resolveDockerOptions({ init: true }), 'n', { port: 1, host: 'h' })
        .HostConfig?.Init,
    ).toBe(true);
    expect(create.HostConfig?.PortBindings).toBeUndefined();
    expect(create.ExposedPorts).toBeUndefined();
  });

  it('refuses a spec without an image', () => {
    const options = resolveDockerOptions({});
    expect(() =>
      containerCreateOptions(spec({ image: undefined }), options, 'n', listenPlan(spec(), options)),
    ).toThrow(InvalidOptionError);
  });
});

describe('resolveDockerOptions', () => {
  it('fills in defaults', () => {
    expect(resolveDockerOptions({})).toMatchObject({
      network: 'bridge',
      hostIp: '127.0.0.1',
      endpointHost: '127.0.0.1',
      pullPolicy: 'if-missing',
      gpuIdentifier: 'uuid',
      gpuDriver: 'nvidia',
      stopGraceMs: 10_000,
      logCapacityLines: 500,
    });
    expect(resolveDockerOptions({ hostIp: '0.0.0.0' }).endpointHost).toBe('127.0.0.1');
  });

  it.each([
    [{ network: 'overlay' }, 'network'],
    [{ pullPolicy: 'sometimes' }, 'pullPolicy'],
    [{ gpuIdentifier: 'name' }, 'gpuIdentifier'],
    [{ stopGraceMs: -1 }, 'stopGraceMs'],
    [{ logCapacityLines: 0 }, 'logCapacityLines'],
    [{ hfCache: { hostPath: 'cache' } }, 'hfCache.hostPath'],
  ])('refuses %j naming %s', (options, option) => {
    expect(() => resolveDockerOptions(options as never)).toThrow(expect.objectContaining({ option }));
  });
});
