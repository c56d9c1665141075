// A realistic vLLM study on a GPU host: Llama 3.1 8B in Docker on the GPUs of this machine, tuned for the
// highest output throughput per GPU that keeps p99 TTFT under 500 ms and p99 TPOT under 50 ms.
//
//   HF_TOKEN=hf_... npx tsx examples/vllm-docker.ts            # run the study (needs NVIDIA GPUs + Docker)
//   npx tsx examples/vllm-docker.ts --dry-run                  # validate and print the plan; launches nothing
import { describePlan, type TuneOptionsInput, tune } from 'inference-autotuner';

const options: TuneOptionsInput = {
  name: 'llama-8b-chat',
  runtime: 'vllm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  image: 'vllm/vllm-openai:v0.22.0',
  controller: { kind: 'docker', hfCacheDir: `${process.env['HOME'] ?? '/root'}/.cache/huggingface` },
  gpus: 'probe',
  ...(process.env['HF_TOKEN'] ? { hfToken: process.env['HF_TOKEN'] } : {}),
  fixedParams: { 'max-model-len': 8192 },
  space: {
    'max-num-seqs': [64, 128, 256, 512],
    'max-num-batched-tokens': [2048, 4096, 8192, 16384],
    'gpu-memory-utilization': { low: 0.85, high: 0.95, step: 0.05 },
    'enable-prefix-caching': [true, false],
    'parallel-preset': ['tp1', 'tp2'],
  },
  workload: {
    kind: 'synthetic',
    inputTokens: { kind: 'normal', mean: 1024, sd: 256, min: 64, max: 4096 },
    outputTokens: { kind: 'uniform', min: 64, max: 512 },
  },
  load: { kind: 'rate', levels: [4, 8, 16], arrival: 'poisson' },
  benchmark: { requests: 400, warmupRequests: 16 },
  slo: {
    terms: [
      { metric: 'ttft', stat: 'p99', maxMs: 500 },
      { metric: 'tpot', stat: 'p99', maxMs: 50 },
    ],
    maxErrorRate: 0.01,
  },
  objective: { kind: 'throughput', tokens: 'output', perGpu: true },
  budget: { maxTrials: 24, maxWallTimeMs: 4 * 3_600_000 },
  timeouts: { startupMs: 900_000, trialMs: 1_800_000 },
};

if (process.argv.includes('--dry-run')) {
  process.stdout.write(describePlan(options).text);
} else {
  const result = await tune(options);
  console.log(result.best ? `Best: ${result.best.exports.dockerRun}` : 'No configuration met the SLO.');
}
