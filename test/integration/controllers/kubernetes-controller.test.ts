import { fileURLToPath } from 'node:url';
import { CoreV1Api, type V1Container, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesController } from '../../../src/controllers/kubernetes/kubernetes-controller.js';
import { ControlPlaneError, LaunchError, ServerExitedError } from '../../../src/errors.js';
import { clearRegisteredSecrets } from '../../../src/util/redact.js';
import { type FakeKubernetes, startFakeKubernetes } from '../../support/fake-k8s-server.js';
import { controllerContract, request } from './contract.js';
import { FAKE_IMAGES, fakeController, k8sFixtureSpec } from './k8s-fixture.js';

const childScript = fileURLToPath(new URL('./k8s-tuner-child.ts', import.meta.url));
let fake: FakeKubernetes;

beforeAll(async () => {
  fake = await startFakeKubernetes({
    images: FAKE_IMAGES,
    nodes: [{ name: 'gpu-node-1', gpus: 1, labels: { pool: 'gpu' } }],
  });
});
afterAll(async () => {
  const leftover = fake.livePids();
  await fake.close();
  expect(leftover).toEqual([]);
});

for (const workload of ['pod', 'deployment'] as const) {
  controllerContract(
    `kubernetes ${workload} (fake API server)`,
    () => fakeController(fake.kubeConfig(), workload),
    k8sFixtureSpec,
    {
      leftovers: (studyId) => fakeController(fake.kubeConfig()).running(studyId),
      tunerCommand: (studyId) => ({
        command: process.execPath,
        args: ['--import', 'tsx', childScript, fake.url, studyId],
      }),
      withClock: (clock) => fakeController(fake.kubeConfig(), workload, clock),
    },
  );
}

// The same contract against a real cluster: KUBECONFIG plus an image whose PATH has `fixture-server`
// (test/support/fixture-server.mjs run by node), e.g. AUTOTUNE_K8S_TEST_IMAGE=registry/autotune-fixture:1.
const realImage = process.env['KUBECONFIG'] ? process.env['AUTOTUNE_K8S_TEST_IMAGE'] : undefined;
describe.runIf(realImage !== undefined)('real cluster (KUBECONFIG)', () => {
  const real = () =>
    new KubernetesController({
      namespace: process.env['AUTOTUNE_K8S_NAMESPACE'] ?? 'default',
      stopGraceSeconds: 5,
    });
  controllerContract(
    'kubernetes (KUBECONFIG cluster)',
    real,
    (scenario, ids) => k8sFixtureSpec(scenario, ids, realImage),
    {
      leftovers: (studyId) => real().running(studyId),
      tunerCommand: (studyId) => ({
        command: process.execPath,
        args: ['--import', 'tsx', childScript, 'kubeconfig', studyId],
      }),
      orphanEndpointSurvives: false,
      crashWithinMs: 120_000,
    },
  );
});

describe('kubernetes controller specifics (fake API server)', () => {
  const spec = (tag: string) => k8sFixtureSpec('serve', { studyId: `k8s-${tag}`, trialId: 't1' });

  it('creates valid objects with labels, GPU limits, node selector, tolerations and secret references', async () => {
    const controller = new KubernetesController({
      kubeConfig: fake.kubeConfig(),
      endpointMode: 'pod-ip',
      bindAddress: '$(POD_IP)',
      stopGraceSeconds: 2,
      nodeSelector: { pool: 'gpu' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      hfTokenSecret: { name: 'hf', key: 'token' },
    });
    await fake
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .createNamespacedSecret({
        namespace: 'default',
        body: {
          metadata: { name: 'hf' },
          data: { token: Buffer.from('hf_abcdefghijklmnopqrstu').toString('base64') },
        },
      });
    const gpu = {
      index: 0,
      uuid: 'GPU-0',
      name: 'x',
      memoryTotalMiB: 1,
      memoryUsedMiB: 0,
      memoryFreeMiB: 1,
      utilizationPct: undefined,
      processes: [],
    };
    const handle = await controller.launch({
      ...spec('objects'),
      gpus: [gpu],
      secretEnv: { API_KEY: 'sk-secret-key-123456' },
    });
    const pod = fake
      .list('pods', 'default')
      .find((p) => JSON.stringify(p).includes('k8s-objects')) as unknown as V1Pod;
    const container = pod.spec?.containers[0] as V1Container;
    expect(pod.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'inference-autotuner',
      'inference-autotuner.io/study': 'k8s-objects',
      'inference-autotuner.io/trial': 't1',
    });
    expect(container.resources?.limits).toEqual({ 'nvidia.com/gpu': '1' });
    expect(pod.spec?.nodeSelector).toEqual({ pool: 'gpu' });
    expect(pod.spec?.tolerations).toHaveLength(1);
    const env = container.env ?? [];
    expect(env.find((e) => e.name === 'HF_TOKEN')?.valueFrom).toEqual({
      secretKeyRef: { name: 'hf', key: 'token' },
    });
    expect(JSON.stringify(pod)).not.toContain('sk-secret-key-123456');
    expect(await handle.logs()).toContain('token=[REDACTED]');
    await handle.stop();
    expect(fake.list('secrets', 'default').map((s) => (s['metadata'] as { name: string }).name)).toEqual([
      'hf',
    ]);
    clearRegisteredSecrets();
  });

  it.each([
    ['ImagePullBackOff', { image: 'no-such-image:1' }, /ErrImagePull|ImagePullBackOff/],
    ['missing secret', { secret: true }, /CreateContainerConfigError/],
  ])('fails fast with a LaunchError on %s and removes everything', async (name, setup, message) => {
    const base = spec(`fail-${name.split(' ')[0]?.toLowerCase()}`);
    const controller = new KubernetesController({
      kubeConfig: fake.kubeConfig(),
      endpointMode: 'pod-ip',
      stopGraceSeconds: 2,
      hfTokenSecret: 'secret' in setup ? { name: 'absent', key: 'token' } : undefined,
    });
    const started = performance.now();
    const error = await controller
      .launch({
        ...base,
        image: 'image' in setup ? setup.image : base.image,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaunchError);
    expect((error as Error).message).toMatch(message);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(await controller.running(base.studyId)).toEqual([]);
  });

  it('reports a crash-looping Deployment with the exit code and the previous container log', async () => {
    const controller = fakeController(fake.kubeConfig(), 'deployment');
    const error = await controller
      .launch(k8sFixtureSpec('crash', { studyId: 'k8s-loop', trialId: 't' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerExitedError);
    expect(error).toMatchObject({ exitCode: 3 });
    expect((error as ServerExitedError).logTail).toContain('scripted crash');
  });

  it('works in the namespace it is given and cleans up only there', async () => {
    const inNs = new KubernetesController({
      kubeConfig: fake.kubeConfig(),
      namespace: 'tuning',
      endpointMode: 'pod-ip',
      bindAddress: '$(POD_IP)',
      stopGraceSeconds: 2,
      workload: 'deployment',
    });
    const handle = await inNs.launch(spec('ns'));
    expect(fake.list('deployments', 'tuning/')).toHaveLength(1);
    expect(fake.list('services', 'tuning/')).toHaveLength(1);
    expect(await fakeController(fake.kubeConfig()).cleanup('k8s-ns')).toEqual([]);
    expect((await request(`${handle.endpoint}/health`)).status).toBe(200);
    const removed = await inNs.cleanup('k8s-ns');
    expect(removed.some((line) => line.startsWith('deployments tuning/'))).toBe(true);
    expect(fake.list('pods', 'tuning/')).toEqual([]);
    await handle.stop();
  });

  it('retries transient API errors and fails at once on permanent ones', async () => {
    const controller = fakeController(fake.kubeConfig());
    fake.injectFailure({ method: 'POST', path: /\/pods$/, status: 503, times: 2 });
    fake.injectFailure({ method: 'POST', path: /\/services$/, status: 429, times: 1 });
    const handle = await controller.launch(spec('retry'));
    expect((await request(`${handle.endpoint}/health`)).status).toBe(200);
    await handle.stop();
    fake.injectFailure({ method: 'POST', path: /\/pods$/, status: 403, times: 1 });
    const error = await controller.launch(spec('forbidden')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect(error).toMatchObject({ statusCode: 403, transient: false });
    expect(await controller.running('k8s-forbidden')).toEqual([]);
  });

  it.each([
    ['listing pods only (the start-up watch)', 'list' as const, /cannot list resource "pods"/],
    ['every call on pods', undefined, /cannot create resource "pods"/],
  ])('fails the launch at once with the API server message when RBAC forbids %s', async (_, verb, denied) => {
    const namespace = `locked-${verb ?? 'all'}`;
    const controller = new KubernetesController({
      kubeConfig: fake.kubeConfig(),
      namespace,
      endpointMode: 'pod-ip',
      stopGraceSeconds: 2,
      statusIntervalMs: 100,
    });
    const studyId = `k8s-rbac-${verb ?? 'all'}`;
    const base = spec(studyId);
    fake.forbid({ namespace, verb, user: 'system:serviceaccount:tuning:tuner' });
    const started = performance.now();
    const error = await controller
      // A readiness budget far above the bound below: failing within it proves the error was not waited out.
      .launch({ ...base, studyId, readiness: { ...base.readiness, timeoutMs: 600_000 } })
      .catch((e: unknown) => e)
      .finally(() => fake.allow());
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect(error).toMatchObject({ statusCode: 403, transient: false, code: 'ERR_CONTROL_PLANE' });
    expect((error as Error).message).toMatch(
      /pods is forbidden: User "system:serviceaccount:tuning:tuner" cannot \w+ resource "pods" in API group "" in the namespace "locked-/,
    );
    expect((error as Error).message).toMatch(denied);
    await expect.poll(() => controller.running(studyId), { timeout: 30_000 }).toEqual([]);
  });
});
