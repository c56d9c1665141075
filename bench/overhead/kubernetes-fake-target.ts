// The Kubernetes controller against the in-process fake API server as an overhead-benchmark target.
import { KubernetesController } from '../../src/controllers/kubernetes/kubernetes-controller.js';
import { FAKE_IMAGES, k8sFixtureSpec } from '../../test/integration/controllers/k8s-fixture.js';
import { type FakeKubernetes, startFakeKubernetes } from '../../test/support/fake-k8s-server.js';
import type { OverheadTarget } from './overhead-target.js';

let fake: FakeKubernetes | undefined;

/** Pods of the fake API server (real local processes behind real REST calls). */
export const kubernetesFakeTarget: OverheadTarget = {
  name: 'kubernetes (fake API)',
  async setup() {
    fake = await startFakeKubernetes({ images: FAKE_IMAGES });
    return async () => fake?.close();
  },
  controller(fixedPollMs) {
    if (!fake) throw new Error('setup() first');
    return new KubernetesController({
      kubeConfig: fake.kubeConfig(),
      endpointMode: 'pod-ip',
      bindAddress: '$(POD_IP)',
      stopGraceSeconds: 10,
      ...(fixedPollMs
        ? {
            readinessInitialIntervalMs: fixedPollMs,
            readinessMaxIntervalMs: fixedPollMs,
          }
        : {}),
    });
  },
  spec(readyAfterMs, run) {
    const spec = k8sFixtureSpec('serve', { studyId: 'bench-overhead', trialId: `run-${run}` });
    return { ...spec, args: ['--ready-after-ms', String(readyAfterMs)] };
  },
};
