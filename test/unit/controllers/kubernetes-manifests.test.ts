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
    expect(podSpec?.volumes?.[0]?.emptyDir).toEqual({ medium: 'Memory', sizeLimit: '1024Mi' });
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

const podSpecOf = (options: Partial<ManifestOptions>, launch: Partial<LaunchSpec> = {}) =>
  (buildManifests({ ...spec, ...launch }, 'at-x', {}, { ...base, ...options }).workload as V1Pod).spec ?? {
    containers: [],
  };

describe('buildManifests: GPUs, placement, model cache and shared memory', () => {
  it.each([
    ['the leased GPUs', {}, { 'nvidia.com/gpu': '2' }],
    ['a cluster count without leases', { gpus: [], gpuCount: 4 }, { 'nvidia.com/gpu': '4' }],
    ['the count over the leases', { gpuCount: 8 }, { 'nvidia.com/gpu': '8' }],
  ])('requests exactly %s', (_name, launch, limits) => {
    const pod = podSpecOf({}, launch);
    expect(pod.containers[0]?.resources?.limits).toEqual(limits);
    expect(
      validateObject('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: pod }),
    ).toEqual([]);
  });

  it('names another vendor resource and requests nothing for a server without GPUs', () => {
    expect(podSpecOf({ gpuResource: 'amd.com/gpu' }).containers[0]?.resources?.limits).toEqual({
      'amd.com/gpu': '2',
    });
    expect(podSpecOf({}, { gpus: [], gpuCount: 0 }).containers[0]?.resources).toBeUndefined();
  });

  it('keeps the node selector, affinity and tolerations, and adds one GPU product as a node selector', () => {
    const tolerations = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];
    const pod = podSpecOf({
      nodeSelector: { pool: 'gpu' },
      tolerations,
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
    });
    expect(pod.nodeSelector).toEqual({ pool: 'gpu', 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
    expect(pod.tolerations).toEqual(tolerations);
    expect(pod.affinity).toEqual({
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] },
    });
  });

  it('requires one of several GPU products and the node a pool chose in every required affinity term', () => {
    const pod = podSpecOf(
      {
        gpuProduct: ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-H200'],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
                { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
              ],
            },
          },
        },
      },
      { node: 'gpu-node-3' },
    );
    const terms =
      pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    expect(terms).toHaveLength(2);
    for (const [i, term] of (terms ?? []).entries()) {
      expect(term.matchExpressions).toEqual([
        { key: 'zone', operator: 'In', values: [i === 0 ? 'a' : 'b'] },
        { key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-H200'] },
      ]);
      expect(term.matchFields).toEqual([{ key: 'metadata.name', operator: 'In', values: ['gpu-node-3'] }]);
    }
    expect(pod.nodeSelector).toBeUndefined();
  });

  it.each([
    [
      'a claim, read-only, offline',
      { claimName: 'models', subPath: 'hf' },
      { name: 'model-cache', persistentVolumeClaim: { claimName: 'models', readOnly: true } },
      { name: 'model-cache', mountPath: '/models', readOnly: true, subPath: 'hf' },
      { HF_HOME: '/models', HF_HUB_OFFLINE: '1' },
    ],
    [
      'a node directory, writable',
      { hostPath: '/mnt/hf', mountPath: '/cache', readOnly: false },
      { name: 'model-cache', hostPath: { path: '/mnt/hf', type: 'Directory' } },
      { name: 'model-cache', mountPath: '/cache', readOnly: false },
      { HF_HOME: '/cache' },
    ],
  ])('mounts the model cache from %s with HF_HOME on it', (_name, modelCache, volume, mount, env) => {
    const pod = podSpecOf({ modelCache });
    expect(pod.volumes).toContainEqual(volume);
    expect(pod.containers[0]?.volumeMounts).toContainEqual(mount);
    const vars = Object.fromEntries((pod.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(vars).toMatchObject(env);
    if (!('HF_HUB_OFFLINE' in env)) expect(vars['HF_HUB_OFFLINE']).toBeUndefined();
    expect(
      validateObject('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: pod }),
    ).toEqual([]);
  });

  it.each([
    ['the runtime size', {}, { shmSizeBytes: 32 * 2 ** 30, ipcMode: undefined }, '32768Mi'],
    ['the option over the runtime', { shmSizeMiB: 4_096 }, { shmSizeBytes: 2 ** 30 }, '4096Mi'],
    ['2 GiB in place of host IPC', {}, { shmSizeBytes: undefined, ipcMode: 'host' }, '2048Mi'],
    ['none for an engine that needs none', {}, { shmSizeBytes: undefined, ipcMode: undefined }, undefined],
  ])('sizes /dev/shm from %s and never asks for host IPC', (_name, options, launch, size) => {
    const pod = podSpecOf(options, { ...launch, volumes: [] });
    const dshm = pod.volumes?.find((v) => v.name === 'dshm');
    expect(dshm?.emptyDir?.sizeLimit).toBe(size);
    if (size) expect(dshm?.emptyDir?.medium).toBe('Memory');
    expect(pod.hostIPC).toBeUndefined();
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
      'unschedulable',
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
    expect(state.detail).toMatch(/restarted 1 time\(s\) after Error \(exit code 3\); CrashLoopBackOff/);
  });

  it("says OOMKilled in the kubelet's words", () => {
    const state = podState(
      pod({
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'e',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          },
        ],
      }),
    );
    expect(state).toMatchObject({ kind: 'exited', exitCode: 137 });
    expect(state.detail).toBe('pod p: container terminated: OOMKilled (exit code 137)');
  });
});
