// The Kubernetes controller on a fake cluster of 3 nodes x 4 GPUs: every pod requests its world size, capacity is
// readable per node, parallel servers never oversubscribe a node, a pod that does not fit is a capacity error
// (never a bad configuration), and the failures a cluster reports (OOM kill, missing namespace, refused objects)
// come back at once in the API's own words.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesController } from '../../../src/controllers/kubernetes/kubernetes-controller.js';
import type { KubernetesControllerOptions } from '../../../src/controllers/kubernetes/kubernetes-options.js';
import { CAPACITY_RULES, CONTROLLER_RULES } from '../../../src/controllers/kubernetes/tuner-job.js';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import { ClusterCapacityError, ControlPlaneError, ServerExitedError } from '../../../src/errors.js';
import { type FakeKubernetes, startFakeKubernetes } from '../../support/fake-k8s-server.js';
import { request } from './contract.js';
import { FAKE_IMAGES, k8sFixtureSpec, OOM_IMAGE } from './k8s-fixture.js';

type Obj = Record<string, unknown>;
let fake: FakeKubernetes;

const H100 = 'NVIDIA-H100-80GB-HBM3';
beforeAll(async () => {
  fake = await startFakeKubernetes({
    images: FAKE_IMAGES,
    namespaces: ['default', 'tuning'],
    nodes: [
      { name: 'gpu-a', gpus: 4, labels: { 'nvidia.com/gpu.product': H100 } },
      { name: 'gpu-b', gpus: 4, labels: { 'nvidia.com/gpu.product': H100 } },
      {
        name: 'gpu-c',
        gpus: 4,
        labels: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
        taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
      },
    ],
  });
});
afterAll(async () => {
  const leftover = fake.livePids();
  await fake.close();
  expect(leftover).toEqual([]);
});

const tolerateGpus = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];

function controller(options: Partial<KubernetesControllerOptions> = {}): KubernetesController {
  return new KubernetesController({
    kubeConfig: fake.kubeConfig(),
    endpointMode: 'pod-ip',
    bindAddress: '$(POD_IP)',
    stopGraceSeconds: 1,
    statusIntervalMs: 100,
    tolerations: tolerateGpus,
    ...options,
  });
}

const serverSpec = (studyId: string, trialId: string, gpuCount: number): LaunchSpec => ({
  ...k8sFixtureSpec('serve', { studyId, trialId }),
  args: ['--ready-after-ms', '100'],
  gpuCount,
});

const podsOf = (studyId: string) =>
  fake
    .list('pods', 'default/')
    .filter(
      (p) =>
        ((p['metadata'] as Obj)['labels'] as Obj | undefined)?.['inference-autotuner.io/study'] === studyId,
    );

function oversubscribed(): Record<string, number> {
  const allocatable = fake.allocatableGpus();
  return Object.fromEntries(
    Object.entries(fake.peakGpuUsage()).filter(([node, peak]) => peak > (allocatable[node] ?? 0)),
  );
}

describe('kubernetes controller on a fake cluster of 3 nodes x 4 GPUs', () => {
  it('reads allocatable GPUs and products per node, and which nodes its pods may use', async () => {
    const all = await controller().clusterCapacity();
    expect(all.resource).toBe('nvidia.com/gpu');
    expect(all.nodes.map((n) => [n.name, n.gpus, n.product, n.eligible])).toEqual([
      ['gpu-a', 4, H100, true],
      ['gpu-b', 4, H100, true],
      ['gpu-c', 4, 'NVIDIA-A100-SXM4-80GB', true],
    ]);
    const untolerated = await controller({ tolerations: [], gpuProduct: H100 }).clusterCapacity();
    expect(untolerated.nodes.map((n) => n.eligible)).toEqual([true, true, false]);
  });

  it('packs 12 servers of 1, 2 and 4 GPUs, 6 at a time, onto the nodes a per-node pool chose', async () => {
    const k8s = controller();
    const capacity = await k8s.clusterCapacity();
    const free = new Map(capacity.nodes.map((n) => [n.name, n.gpus]));
    const waiters: (() => void)[] = [];
    // First fit over the nodes' free GPUs, as a study's per-node pool would; waits while nothing fits.
    const acquire = async (count: number): Promise<string> => {
      for (;;) {
        const node = [...free].find(([, n]) => n >= count)?.[0];
        if (node) {
          free.set(node, (free.get(node) ?? 0) - count);
          return node;
        }
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    const release = (node: string, count: number) => {
      free.set(node, (free.get(node) ?? 0) + count);
      for (const wake of waiters.splice(0)) wake();
    };
    const sizes = [4, 1, 2, 4, 2, 1, 4, 1, 2, 4, 2, 1];
    const seen: { count: number; node: string; limit: unknown; nodeName: unknown }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < sizes.length) {
        const index = next++;
        const count = sizes[index] as number;
        const node = await acquire(count);
        try {
          const handle = await k8s.launch({ ...serverSpec('k8s-pack', `t${index}`, count), node });
          expect(handle.via).toBe('pod-ip');
          expect((await request(`${handle.endpoint}/health`)).status).toBe(200);
          const pod = podsOf('k8s-pack').find(
            (p) => ((p['metadata'] as Obj)['labels'] as Obj)['inference-autotuner.io/trial'] === `t${index}`,
          ) as unknown as V1Pod;
          seen.push({
            count,
            node,
            limit: pod.spec?.containers[0]?.resources?.limits?.['nvidia.com/gpu'],
            nodeName: pod.spec?.nodeName,
          });
          await handle.stop();
        } finally {
          release(node, count);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(seen).toHaveLength(12);
    for (const s of seen) {
      expect(s.limit).toBe(String(s.count));
      expect(s.nodeName).toBe(s.node);
    }
    const packed = fake.placements.filter((p) => p.pod.includes('k8s-pack'));
    expect(packed.map((p) => p.gpus).sort()).toEqual([...sizes].sort());
    expect(packed.every((p) => p.releasedAtMs !== undefined)).toBe(true);
    expect(oversubscribed()).toEqual({});
    expect(await k8s.running('k8s-pack')).toEqual([]);
  }, 120_000);

  it('refuses a server needing more GPUs than any node has, at once, naming the largest node', async () => {
    const k8s = controller({ gpuProduct: H100 });
    const started = performance.now();
    const error = await k8s.launch(serverSpec('k8s-too-big', 't', 8)).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(error).toBeInstanceOf(ClusterCapacityError);
    expect(error).toMatchObject({ permanent: true, requested: 8, capacity: 4, largestNode: 'gpu-a' });
    expect((error as Error).message).toMatch(
      /requesting 8 nvidia\.com\/gpu cannot be scheduled on any node: 0\/3 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector, 2 Insufficient nvidia\.com\/gpu\..*the largest node its pods may use, gpu-a, has 4 nvidia\.com\/gpu/,
    );
    expect(await k8s.running('k8s-too-big')).toEqual([]);
  });

  it('reports a pod that does not fit now as capacity, and runs a waiting pod once GPUs free', async () => {
    const k8s = controller();
    const holders = await Promise.all(['a', 'b', 'c'].map((id) => k8s.launch(serverSpec('k8s-full', id, 4))));
    const error = await k8s.launch(serverSpec('k8s-full', 'd', 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterCapacityError);
    expect(error).toMatchObject({ permanent: false, requested: 1, capacity: 4 });
    expect((error as Error).message).toMatch(
      /cannot be scheduled now: 0\/3 nodes are available: 3 Insufficient nvidia\.com\/gpu\./,
    );
    expect(await k8s.running('k8s-full')).toHaveLength(6);

    // A pod created outside the controller stays Pending until a holder is gone, then the scheduler binds it.
    const core = fake.kubeConfig().makeApiClient(CoreV1Api);
    const waiting = await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'waits-for-a-gpu' },
        spec: {
          restartPolicy: 'Never',
          tolerations: tolerateGpus,
          containers: [
            {
              name: 'engine',
              image: 'autotune-fixture:test',
              // Its own pod IP: never a port of the host that something else may hold.
              command: ['fixture-server', '--host', '$(POD_IP)', '--never-ready'],
              env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
              resources: { limits: { 'nvidia.com/gpu': '2' } },
            },
          ],
        },
      },
    });
    const read = () => core.readNamespacedPod({ namespace: 'default', name: 'waits-for-a-gpu' });
    await expect.poll(async () => (await read()).status?.conditions?.[0]?.reason).toBe('Unschedulable');
    // The holders were created at once: whichever node trial b got is the one its stop frees.
    const holderB = podsOf('k8s-full').find(
      (p) => ((p['metadata'] as Obj)['labels'] as Obj)['inference-autotuner.io/trial'] === 'b',
    ) as Obj;
    const freed = (holderB['spec'] as Obj)['nodeName'];
    expect(['gpu-a', 'gpu-b', 'gpu-c']).toContain(freed);
    await holders[1]?.stop();
    await expect.poll(async () => (await read()).status?.phase, { timeout: 10_000 }).toBe('Running');
    expect((await read()).spec?.nodeName).toBe(freed);
    await core.deleteNamespacedPod({ namespace: 'default', name: waiting.metadata?.name as string });
    await Promise.all(holders.map((h) => h.stop()));
    await expect.poll(() => fake.list('pods', 'default/').length, { timeout: 10_000 }).toBe(0);
    expect(oversubscribed()).toEqual({});
  }, 60_000);

  it('waits out a full cluster for as long as unschedulableGraceMs allows', async () => {
    const k8s = controller({ unschedulableGraceMs: 60_000 });
    const holders = await Promise.all(
      ['a', 'b', 'c'].map((id) => k8s.launch(serverSpec('k8s-grace', id, 4))),
    );
    const waiting = k8s.launch(serverSpec('k8s-grace', 'late', 2));
    await expect
      .poll(() => podsOf('k8s-grace').some((p) => JSON.stringify(p['status']).includes('Unschedulable')))
      .toBe(true);
    await holders[0]?.stop();
    const late = await waiting;
    expect((await request(`${late.endpoint}/health`)).status).toBe(200);
    await Promise.all([late, ...holders].map((h) => h?.stop()));
    expect(await k8s.running('k8s-grace')).toEqual([]);
    expect(oversubscribed()).toEqual({});
  }, 60_000);

  it('requests another vendor resource by name', async () => {
    const amd = await startFakeKubernetes({
      images: FAKE_IMAGES,
      gpuResource: 'amd.com/gpu',
      nodes: [{ name: 'mi300', gpus: 8 }],
    });
    try {
      const k8s = new KubernetesController({
        kubeConfig: amd.kubeConfig(),
        endpointMode: 'pod-ip',
        bindAddress: '$(POD_IP)',
        stopGraceSeconds: 1,
        gpuResource: 'amd.com/gpu',
      });
      expect((await k8s.clusterCapacity()).nodes[0]?.gpus).toBe(8);
      const handle = await k8s.launch(serverSpec('k8s-amd', 't', 8));
      const pod = amd.list('pods', 'default/')[0] as unknown as V1Pod;
      expect(pod.spec?.containers[0]?.resources?.limits).toEqual({ 'amd.com/gpu': '8' });
      expect(amd.placements.map((p) => [p.node, p.gpus, p.devices])).toEqual([
        ['mi300', 8, [0, 1, 2, 3, 4, 5, 6, 7]],
      ]);
      await handle.stop();
    } finally {
      await amd.close();
    }
  });
});

describe('kubernetes failures reported at once in the API server and kubelet words', () => {
  it('an OOM-killed engine is a server exit 137 whose log tail says OOMKilled', async () => {
    const started = performance.now();
    const error = await controller()
      .launch({
        ...k8sFixtureSpec('never-ready', { studyId: 'k8s-oom', trialId: 't' }),
        image: OOM_IMAGE,
        readiness: { path: '/health', timeoutMs: 600_000 },
      })
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(error).toBeInstanceOf(ServerExitedError);
    expect(error).toMatchObject({ exitCode: 137 });
    expect((error as ServerExitedError).logTail).toMatch(/fixture-server starting/);
    expect((error as ServerExitedError).logTail).toMatch(
      /\[kubernetes\] pod at-k8s-oom-t-\w+: container terminated: OOMKilled \(exit code 137\)$/,
    );
  });

  it('a missing namespace fails the launch at once with the API message', async () => {
    const error = await controller({ namespace: 'absent' })
      .launch(serverSpec('k8s-nons', 't', 1))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect(error).toMatchObject({ statusCode: 404, transient: false });
    expect((error as Error).message).toMatch(/namespaces "absent" not found/);
  });

  it.each([
    [
      'strict field validation refuses a misspelt field with 400 and its path',
      '?fieldValidation=Strict',
      { nodeSelecter: { pool: 'gpu' } },
      {},
      400,
      'strict decoding error: unknown field "spec.nodeSelecter"',
    ],
    [
      'an invalid value is 422 with the field path and a cause per field',
      '',
      {},
      { imagePullPolicy: 'Sometimes', ports: [{ containerPort: 70_000 }] },
      422,
      'Pod "raw" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: supported values: "Always", "IfNotPresent", "Never"',
    ],
  ])('the fake API server: %s', async (_name, query, podExtra, containerExtra, status, message) => {
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'raw' },
      spec: {
        containers: [{ name: 'engine', image: 'autotune-fixture:test', ...containerExtra }],
        ...podExtra,
      },
    };
    const response = await fetch(`${fake.url}/api/v1/namespaces/default/pods${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Obj;
    expect(response.status).toBe(status);
    expect(answer['kind']).toBe('Status');
    expect(String(answer['message'])).toContain(message);
    expect(fake.list('pods', 'default/')).toEqual([]);
  });
});

describe('measurement route', () => {
  it('outside the cluster reaches the engine through a port-forward, and the handle says so', async () => {
    const before = fake.portForwards();
    // No endpoint mode: outside a cluster the controller chooses the port-forward.
    const k8s = controller({ endpointMode: undefined });
    const handle = await k8s.launch(serverSpec('k8s-forward', 't', 1));
    try {
      expect(handle.via).toBe('port-forward');
      expect(handle.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const completion = await request(`${handle.endpoint}/v1/completions`, { prompt: 'x', max_tokens: 3 });
      expect(completion.status).toBe(200);
      expect(JSON.parse(completion.body).choices[0].text).toBe('t0 t1 t2');
      expect(fake.portForwards()).toBeGreaterThan(before);
    } finally {
      await handle.stop();
    }
  });
});

describe('the in-cluster RBAC', () => {
  it("grants everything the controller calls: launch, logs, stop, cleanup, reap and the cluster's capacity", async () => {
    fake.restrictTo([...CONTROLLER_RULES, ...CAPACITY_RULES]);
    try {
      const k8s = controller({ workload: 'deployment' });
      expect((await k8s.clusterCapacity()).nodes).toHaveLength(3);
      const handle = await k8s.launch({
        ...serverSpec('k8s-rbac-ok', 't', 2),
        secretEnv: { API_KEY: 'sk-abcdefghijklmnop' },
      });
      expect(await handle.logs()).toMatch(/fixture-server starting/);
      await handle.stop();
      const crash = await k8s
        .launch(k8sFixtureSpec('crash', { studyId: 'k8s-rbac-ok', trialId: 'c' }))
        .catch((e: unknown) => e);
      expect((crash as ServerExitedError).logTail).toMatch(/scripted crash/);
      expect(await k8s.reap('k8s-rbac-ok')).toEqual([]);
      expect(await k8s.cleanup('k8s-rbac-ok')).toEqual([]);
      expect(fake.requests.filter((r) => r.status === 403)).toEqual([]);
      fake.restrictTo(CONTROLLER_RULES);
      const denied = await k8s.clusterCapacity().catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(ControlPlaneError);
      expect((denied as Error).message).toMatch(
        /nodes is forbidden: User "system:serviceaccount:default:tuner" cannot list resource "nodes"/,
      );
    } finally {
      fake.allow();
    }
  }, 60_000);
});
