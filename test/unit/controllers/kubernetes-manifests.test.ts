import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifests, type ManifestOptions } from '../../../src/controllers/kubernetes/manifests.js';
import { podState } from '../../../src/controllers/kubernetes/pod-state.js';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import { LaunchError } from '../../../src/errors.js';
import { clearRegisteredSecrets } from '../../../src/util/redact.js';
import { validateObject } from '../../support/fake-k8s-validate.js';

afterEach(() => clearRegisteredSecrets());

const gpu = (index: number) => ({
  index,
  uuid: `GPU-${index}`,
  name: 'H100',
  memoryTotalMiB: 80_000,
  memoryUsedMiB: 0,
  memoryFreeMiB: 80_000,
  utilizationPct: undefined,
  processes: [],
});

const spec: LaunchSpec = {
  runtime: 'vllm',
  command: 'vllm',
  args: ['serve', 'm', '--tensor-parallel-size', '2'],
  image: 'vllm/vllm-openai:v0.11.0',
  env: { VLLM_LOGGING_LEVEL: 'INFO' },
  secretEnv: { HF_TOKEN: 'hf_abcdefghijklmnop' },
  portFlag: '--port',
  hostFlag: '--host',
  readiness: { path: '/health' },
  gpus: [gpu(0), gpu(1)],
  shmSizeBytes: 2 ** 30,
  volumes: [{ hostPath: '/models', containerPath: '/models', readOnly: true }],
  studyId: 'Study One',
  trialId: '7',
};

const base: ManifestOptions = {
  namespace: 'tune',
  workload: 'pod',
  bindAddress: '0.0.0.0',
  gpuResource: 'nvidia.com/gpu',
  terminationGracePeriodSeconds: 10,
};

describe('buildManifests', () => {
  it.each(['pod', 'deployment'] as const)('builds %s objects the API accepts', (workload) => {
    const out = buildManifests(spec, 'at-study-7', { team: 'a' }, { ...base, workload });
    const kind = workload === 'pod' ? 'Pod' : 'Deployment';
    expect(validateObject(kind, out.workload as Record<string, unknown>)).toEqual([]);
    expect(validateObject('Service', out.service as Record<string, unknown>)).toEqual([]);
    expect(validateObject('Secret', out.secret as unknown as Record<string, unknown>)).toEqual([]);
    const podSpec =
      workload === 'pod' ? (out.workload as V1Pod).spec : (out.workload as V1Deployment).spec?.template.spec;
    const container = podSpec?.containers[0];
    expect(container?.command).toEqual([
      'vllm',
      'serve',
      'm',
      '--tensor-parallel-size',
      '2',
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
    ]);
    expect(container?.resources?.limits).toEqual({ 'nvidia.com/gpu': '2' });
    expect(podSpec?.restartPolicy).toBe(workload === 'pod' ? 'Never' : 'Always');
    expect(podSpec?.volumes?.map((v) => v.name)).toEqual(['dshm', 'vol-0']);
    expect(JSON.stringify(out.workload)).not.toContain('hf_abcdefghijklmnop');
    expect(container?.env?.find((e) => e.name === 'CUDA_VISIBLE_DEVICES')).toBeUndefined();
    expect(out.port).toBe(8000);
  });

  it('references the HF token Secret when given and creates no own Secret for it', () => {
    const out = buildManifests(spec, 'at-x', {}, { ...base, hfTokenSecret: { name: 'hf', key: 'token' } });
    expect(out.secret).toBeUndefined();
    const env = (out.workload as V1Pod).spec?.containers[0]?.env ?? [];
    expect(env.filter((e) => e.valueFrom?.secretKeyRef?.name === 'hf').map((e) => e.name)).toEqual([
      'HF_TOKEN',
      'HUGGING_FACE_HUB_TOKEN',
    ]);
  });

  it('keeps an entrypoint override apart from the arguments and refuses a spec without image', () => {
    const out = buildManifests({ ...spec, entrypoint: ['python3', '-m', 'x'], gpus: [] }, 'at-x', {}, base);
    const container = (out.workload as V1Pod).spec?.containers[0];
    expect(container?.command).toEqual(['python3', '-m', 'x']);
    expect(container?.args?.slice(-2)).toEqual(['--port', '8000']);
    expect(container?.resources).toBeUndefined();
    expect(() => buildManifests({ ...spec, image: undefined }, 'at-x', {}, base)).toThrow(/image/);
  });
});

const pod = (status: V1Pod['status']): V1Pod => ({ metadata: { name: 'p' }, status });

describe('podState', () => {
  it.each([
    ['no pod', undefined, 'pending'],
    ['pending', pod({ phase: 'Pending' }), 'pending'],
    [
      'unschedulable',
      pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no GPUs' }],
      }),
      'failed',
    ],
    [
      'image pull back-off',
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'e',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff' } },
          },
        ],
      }),
      'failed',
    ],
    [
      'container creating',
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'e',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      }),
      'pending',
    ],
    [
      'running',
      pod({
        phase: 'Running',
        podIP: '10.0.0.5',
        containerStatuses: [
          { name: 'e', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
        ],
      }),
      'running',
    ],
    [
      'terminated',
      pod({
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'e',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 137 } },
          },
        ],
      }),
      'exited',
    ],
    [
      'crash loop',
      pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'e',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 2,
            lastState: { terminated: { exitCode: 1 } },
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      }),
      'exited',
    ],
  ])('%s -> %s', (_name, input, kind) => {
    const state = podState(input);
    expect(state.kind).toBe(kind);
    if (state.kind === 'failed') expect(state.error).toBeInstanceOf(LaunchError);
  });

  it('carries the exit code and whether logs are in the previous container', () => {
    const state = podState(
      pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'e',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 1,
            lastState: { terminated: { exitCode: 3 } },
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      }),
    );
    expect(state).toMatchObject({ kind: 'exited', exitCode: 3, previous: true });
  });
});
