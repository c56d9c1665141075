// Wall time of a 32-trial study with mixed world sizes (tensor parallel 1/2/4/8) through the Kubernetes controller
// on a simulated cluster of 4 nodes x 8 GPUs (the scheduling fake API server of the tests), against the ideal
// packing bound. Every trial is a real pod: the study's per-node pool picks a node, the controller creates the pod
// (requesting the trial's world size on that node) and its Service, waits for it, the trial holds it for its
// scaled simulated time, then deletes it; the fake's scheduler binds the GPUs and logs every placement.
//
//   npx tsx bench/study/cluster-bench.ts [--scale 0.2] [--repeats 1] [--strategy grid|random|auto]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubernetesController } from '../../src/controllers/kubernetes/kubernetes-controller.js';
import type { TrialEvaluator } from '../../src/tune/evaluator.js';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { tune } from '../../src/tune/study.js';
import { FAKE_IMAGES, k8sFixtureSpec } from '../../test/integration/controllers/k8s-fixture.js';
import { startFakeKubernetes } from '../../test/support/fake-k8s-server.js';
import { areaBoundMs } from './packing.js';
import { type TimedRun, timedEvaluator, trialTimeOf } from './timed-evaluator.js';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.2' },
    repeats: { type: 'string', default: '1' },
    strategy: { type: 'string', default: 'random' },
  },
});
const scale = Number(args.scale);
const repeats = Number(args.repeats);
const strategy = args.strategy as 'grid' | 'random' | 'auto';
const NODES = 4;
const PER_NODE = 8;
const TRIALS = 32;
const SIZES = [1, 2, 4, 8];
const SEQS = [16, 32, 48, 64, 96, 128, 192, 256];

function options(journal: string): TuneOptionsInput {
  return {
    model: 'llama-3.1-8b',
    sim: { gpu: 'h100' },
    fixedParams: { 'max-model-len': 4096 },
    space: { 'tensor-parallel-size': SIZES, 'max-num-seqs': SEQS },
    strategy,
    workload: { kind: 'synthetic', inputTokens: 1024, outputTokens: 256 },
    load: { kind: 'concurrency', levels: [64] },
    benchmark: { requests: 200, warmupRequests: 8 },
    slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 60 }] },
    objective: 'maximize_throughput',
    budget: { maxTrials: TRIALS },
    baseline: false,
    confirm: { top: 0, repeats: 0 },
    controller: { kind: 'kubernetes', workload: 'pod' },
    journal,
    seed: 7,
  };
}

// The timed trial inside a real pod: launched on the pool's node with the trial's GPU count, held for the
// trial's scaled time, deleted. `held` is what each trial held its GPUs for, launch to deletion.
function podEvaluator(
  inner: TrialEvaluator,
  controller: KubernetesController,
  held: Array<{ gpus: number; durationMs: number }>,
): TrialEvaluator {
  return {
    plan: inner.plan,
    async evaluate(ctx) {
      const startMs = performance.now();
      const node = ctx.gpus[0]?.host;
      const server = await controller.launch(
        {
          ...k8sFixtureSpec('serve', { studyId: 'cluster-bench', trialId: `trial-${ctx.trial.number}` }),
          args: ['--ready-after-ms', '20'],
          gpuCount: ctx.gpus.length,
          ...(node ? { node } : {}),
        },
        { signal: ctx.signal },
      );
      try {
        return await inner.evaluate(ctx);
      } finally {
        await server.stop();
        held.push({ gpus: ctx.gpus.length, durationMs: performance.now() - startMs });
      }
    },
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const dir = await mkdtemp(join(tmpdir(), 'cluster-bench-'));
try {
  const timeOf = trialTimeOf(options(join(dir, 'x.jsonl')));
  const planned = SIZES.flatMap((tp) =>
    SEQS.map((seqs) => {
      const t = timeOf({ 'tensor-parallel-size': tp, 'max-num-seqs': seqs });
      return { gpus: tp, durationMs: (t.startupMs + t.benchmarkMs) * scale };
    }),
  );
  const gpus = NODES * PER_NODE;
  console.log(
    `${TRIALS} trials (tp ${SIZES.join('/')} x ${SEQS.length} max-num-seqs), ${strategy} order, ${NODES} nodes x ${PER_NODE} GPUs, time scale ${scale}`,
  );
  console.log(
    `planned trial times: bound max(sum(d x gpus) / ${gpus}, longest) = ${s(areaBoundMs(planned, gpus))}`,
  );
  for (let r = 0; r < repeats; r++) {
    const fake = await startFakeKubernetes({
      images: FAKE_IMAGES,
      namespaces: ['default'],
      nodes: Array.from({ length: NODES }, (_, i) => ({
        name: `gpu-${i}`,
        gpus: PER_NODE,
        labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
      })),
    });
    try {
      const controller = new KubernetesController({
        kubeConfig: fake.kubeConfig(),
        workload: 'pod',
        endpointMode: 'pod-ip',
        bindAddress: '$(POD_IP)',
        stopGraceSeconds: 1,
        statusIntervalMs: 100,
      });
      const input = options(join(dir, `run-${r}.jsonl`));
      const runs: TimedRun[] = [];
      const held: Array<{ gpus: number; durationMs: number }> = [];
      const evaluator = podEvaluator(timedEvaluator(input, scale, runs), controller, held);
      const startMs = performance.now();
      const result = await tune(input, { controller, evaluator });
      const wallMs = performance.now() - startMs;
      // The bound of the trials as they ran: each trial's GPUs times the time it held them (pod launch to
      // deletion); no schedule of these trials on 32 GPUs can finish sooner, whatever the per-node packing.
      const bound = areaBoundMs(held, gpus);
      const busy = held.reduce((a, h) => a + h.gpus * h.durationMs, 0);
      const longest = Math.max(...held.map((h) => h.durationMs));
      const peak = fake.peakGpuUsage();
      const over = Object.entries(peak).filter(([node, n]) => n > (fake.allocatableGpus()[node] ?? 0));
      console.log(
        `run ${r + 1}: ${result.trials.length} trials, wall ${s(wallMs)}, bound ${s(bound)} (GPU time / ${gpus} ${s(busy / gpus)}, longest trial ${s(longest)}) -> ${(wallMs / bound).toFixed(2)}x; GPU utilisation ${((busy / (gpus * wallMs)) * 100).toFixed(0)}%; peak GPUs per node ${JSON.stringify(peak)}${over.length > 0 ? ` OVERSUBSCRIBED ${JSON.stringify(over)}` : ''}; ${fake.placements.length} pods placed`,
      );
      if (fake.list('pods', 'default/').length > 0) console.log('  (warning: pods left behind)');
    } finally {
      await fake.close();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
