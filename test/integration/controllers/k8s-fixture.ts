// Launch specs and controller options of the contract scenarios on the fake Kubernetes API server.
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubernetesController } from '../../../src/controllers/kubernetes/kubernetes-controller.js';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import type { Clock } from '../../../src/util/clock.js';
import type { FakeImage } from '../../support/fake-k8s-pods.js';
import type { ContractIds, ContractScenario } from './contract.js';

const FIXTURE = fileURLToPath(new URL('../../support/fixture-server.mjs', import.meta.url));

/** Image name of the fixture server in the fake cluster. */
export const FIXTURE_IMAGE = 'autotune-fixture:test';

/** Image name of a fixture whose container the fake's OOM killer ends 400 ms after start. */
export const OOM_IMAGE = 'autotune-oom:test';

/** The fake cluster runs the fixture image as a local node process. */
export const FAKE_IMAGES: Record<string, FakeImage> = {
  [FIXTURE_IMAGE]: (argv) => ({ file: process.execPath, args: [FIXTURE, ...argv.slice(1)] }),
  [OOM_IMAGE]: (argv) => ({ file: process.execPath, args: [FIXTURE, ...argv.slice(1)], oomKillAfterMs: 400 }),
};

const SCENARIO_ARGS: Record<ContractScenario, string[]> = {
  serve: ['--ready-after-ms', '200'],
  crash: ['--exit-after-ms', '500', '--exit-code', '3', '--never-ready'],
  'never-ready': ['--never-ready'],
  slow: ['--ready-after-ms', '60000'],
};

/** A launch spec running the fixture image for one contract scenario. */
export function k8sFixtureSpec(
  scenario: ContractScenario,
  ids: ContractIds,
  image = FIXTURE_IMAGE,
): LaunchSpec {
  return {
    runtime: 'sim',
    command: 'fixture-server',
    args: SCENARIO_ARGS[scenario],
    image,
    env: { FIXTURE_MODE: scenario },
    portFlag: '--port',
    hostFlag: '--host',
    containerPort: 8000,
    readiness: {
      path: '/health',
      alsoPaths: ['/v1/models'],
      timeoutMs: scenario === 'never-ready' ? 1_500 : 60_000,
    },
    gpus: [],
    ...ids,
  };
}

/** A controller talking to the fake: pods bind their own loopback pod IP, reached directly. */
export function fakeController(
  kubeConfig: KubeConfig,
  workload: 'pod' | 'deployment' = 'pod',
  clock?: Clock,
): KubernetesController {
  return new KubernetesController({
    ...(clock ? { clock } : {}),
    kubeConfig,
    namespace: 'default',
    workload,
    endpointMode: 'pod-ip',
    bindAddress: '$(POD_IP)',
    stopGraceSeconds: 2,
    statusIntervalMs: 100,
  });
}
