// A realistic SGLang study on a Kubernetes cluster: Qwen2.5 72B on 4 GPUs (tensor parallel), one Deployment per trial,
// each pod requests its 4 GPUs of an H100 node, the weights come read-only from a shared cache volume instead of
// being downloaded per trial, four trials at a time; HF token from a Secret.
//
//   KUBECONFIG=~/.kube/config npx tsx examples/sglang-kubernetes.ts     # run the study on the cluster
//   npx tsx examples/sglang-kubernetes.ts --dry-run                     # validate and print the plan
import { describePlan, type TuneOptionsInput, tune } from 'inference-autotuner';

const options: TuneOptionsInput = {
  name: 'qwen-72b-rag',
  runtime: 'sglang',
  model: 'Qwen/Qwen2.5-72B-Instruct',
  image: 'lmsysorg/sglang:v0.5.5',
  controller: {
    kind: 'kubernetes',
    namespace: 'llm-tuning',
    workload: 'deployment',
    nodeSelector: { 'node-pool': 'inference' },
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    hfTokenSecret: { name: 'hf-token', key: 'token' },
    // A ReadOnlyMany claim pre-filled with the model (about 145 GB): mounted at /models, HF_HOME points there.
    modelCache: { claimName: 'hf-models' },
    shmSizeMiB: 32_768,
  },
  maxParallelTrials: 4,
  fixedParams: { 'tp-size': 4 },
  space: {
    'max-running-requests': [64, 128, 256],
    'chunked-prefill-size': [4096, 8192, 16384],
    'mem-fraction-static': { low: 0.8, high: 0.9, step: 0.05 },
    'schedule-policy': ['fcfs', 'lpm'],
  },
  workload: {
    kind: 'shared-prefix',
    prefixes: 16,
    suffixesPerPrefix: 32,
    prefixTokens: 2048,
    suffixTokens: 256,
    outputTokens: 256,
  },
  load: { kind: 'capacity', by: 'rate', low: 1, high: 64, tolerance: 0.1, arrival: 'poisson' },
  benchmark: { requests: 300, warmupRequests: 16 },
  slo: {
    terms: [
      { metric: 'ttft', stat: 'p95', maxMs: 1_500 },
      { metric: 'tpot', stat: 'p95', maxMs: 60 },
    ],
  },
  objective: { kind: 'goodput', perGpu: true },
  budget: { maxTrials: 32 },
  timeouts: { startupMs: 1_800_000, trialMs: 3_600_000 },
};

if (process.argv.includes('--dry-run')) {
  process.stdout.write(describePlan(options).text);
} else {
  const result = await tune(options);
  console.log(result.best ? result.best.exports.kubernetes : 'No configuration met the SLO.');
}
