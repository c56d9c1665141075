// A simulated-engine study on the fake Kubernetes cluster: the images the fake runs, the study's options and the
// controller the tuner uses there (pods bind their own pod IP and are reached directly).
import { KubernetesController } from '../../../src/controllers/kubernetes/kubernetes-controller.js';
import type { KubernetesControllerOptions } from '../../../src/controllers/kubernetes/kubernetes-options.js';
import { SIM_IMAGE } from '../../../src/runtimes/adapters/sim.js';
import { simExecutable } from '../../../src/runtimes/adapters/sim-executable.js';
import type { TuneOptionsInput } from '../../../src/tune/options-schema.js';
import type { FakeImage } from '../../support/fake-k8s-pods.js';
import { fakeKubeConfig } from '../../support/fake-k8s-server.js';

/** The simulator's image runs as a local `inference-sim` process: the container's flags are passed on unchanged. */
export const SIM_IMAGES: Record<string, FakeImage> = {
  [SIM_IMAGE]: (argv) => {
    const exe = simExecutable();
    const firstFlag = argv.findIndex((arg) => arg.startsWith('--'));
    return { file: exe.command, args: [...exe.args, ...(firstFlag < 0 ? [] : argv.slice(firstFlag))] };
  },
};

/** The tuner's controller on the fake at `url`. */
export function fakeClusterController(
  url: string,
  options: Partial<KubernetesControllerOptions> = {},
): KubernetesController {
  return new KubernetesController({
    kubeConfig: fakeKubeConfig(url),
    workload: 'pod',
    endpointMode: 'pod-ip',
    bindAddress: '$(POD_IP)',
    stopGraceSeconds: 1,
    statusIntervalMs: 100,
    ...options,
  });
}

/** A study of simulated servers of 1, 2 and 4 GPUs through the Kubernetes controller. */
export function clusterStudyOptions(
  journal: string,
  overrides: Partial<TuneOptionsInput> = {},
): TuneOptionsInput {
  return {
    name: 'k8s-e2e',
    model: 'llama-3.1-8b',
    sim: { gpu: 'h100', timeScale: 50 },
    maxParallelTrials: 6,
    fixedParams: { 'max-model-len': 4096 },
    space: { 'tensor-parallel-size': [1, 2, 4], 'max-num-seqs': [32, 64, 128, 256] },
    strategy: 'grid',
    workload: { kind: 'synthetic', inputTokens: 64, outputTokens: 16 },
    load: { kind: 'concurrency', levels: [4] },
    benchmark: { requests: 12, warmupRequests: 1 },
    objective: 'maximize_throughput',
    budget: { maxTrials: 12 },
    baseline: false,
    confirm: { top: 0, repeats: 0 },
    controller: { kind: 'kubernetes', workload: 'pod' },
    journal,
    seed: 11,
    ...overrides,
  };
}
