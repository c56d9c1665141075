// Tune a real llama.cpp server (llama-server) in Docker on CPU: threads, parallel slots, batch and ubatch size
// and context size, for the lowest end-to-end latency at a steady request rate that keeps TTFT and TPOT under
// an SLO.
//
// It serves a tiny random-weight GGUF model (gibberish outputs; the load generator forces every output length
// with max_tokens + ignore_eos), so one trial takes a few seconds on a 2-core machine. Build the two inputs
// first (no registry access needed):
//
//   sudo bash scripts/images/build-llama-server-image.sh            # inference-autotuner/llama-server:test
//   npx tsx test/support/gguf/generate-random-llama.ts .autotune/models/random-llama.gguf f16
//   npm run build                                                    # the example imports the built package
//   npx tsx examples/llamacpp-docker.ts
//
// (`npx tsx --conditions=inference-autotuner-source examples/llamacpp-docker.ts` runs it from src/ without a build.)
//
// Environment overrides: LLAMA_IMAGE (another image with llama-server on its PATH; for the llama.cpp project's
// image ghcr.io/ggml-org/llama.cpp:server also set LLAMA_ENTRYPOINT=/app/llama-server), LLAMA_MODEL (a GGUF
// file), LLAMA_TRIALS (search budget, default 8), AUTOTUNE_STUDY (study name, also labels the containers),
// AUTOTUNE_JOURNAL (journal path; it is replaced on every run).
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { tune } from 'inference-autotuner';

const image = process.env['LLAMA_IMAGE'] ?? 'inference-autotuner/llama-server:test';
const entrypoint = process.env['LLAMA_ENTRYPOINT'] ?? 'llama-server';
// Docker bind-mounts the model's folder, which needs an absolute host path.
const modelPath = path.resolve(process.env['LLAMA_MODEL'] ?? '.autotune/models/random-llama.gguf');
const maxTrials = Number(process.env['LLAMA_TRIALS'] ?? 8);
const journal = process.env['AUTOTUNE_JOURNAL'] ?? '.autotune/llamacpp-docker.jsonl';

if (!existsSync(modelPath)) {
  console.error(`No model at ${modelPath}. Generate one with:`);
  console.error(`  npx tsx test/support/gguf/generate-random-llama.ts ${modelPath} f16`);
  process.exit(2);
}

rmSync(journal, { force: true });
const cpus = availableParallelism();
const result = await tune({
  name: process.env['AUTOTUNE_STUDY'] ?? 'llamacpp-docker',
  runtime: 'llamacpp',
  model: 'random-llama', // the name requests carry; llama-server serves the file given by modelPath
  modelPath,
  image,
  entrypoint: [entrypoint],
  controller: { kind: 'docker' },
  gpus: 'none',
  fixedParams: { 'n-gpu-layers': 0 }, // CPU only: the layout needs no GPU
  space: {
    threads: [1, 2, 4, 8].filter((n) => n <= cpus),
    parallel: [1, 2, 4],
    'batch-size': [64, 128, 256, 512],
    'ubatch-size': [32, 64, 128, 256],
    'ctx-size': [512, 1024, 2048],
  },
  // llama.cpp never computes a physical batch larger than the logical one.
  constraints: [{ left: 'ubatch-size', op: '<=', right: 'batch-size' }],
  // Short prompts and outputs: with 4 slots and a 512-token context each slot still holds 128 tokens.
  workload: { kind: 'synthetic', inputTokens: { kind: 'uniform', min: 16, max: 48 }, outputTokens: 16 },
  // Open-loop Poisson arrivals at a steady rate, as an interactive service sees them.
  load: { kind: 'rate', levels: [8], arrival: 'poisson' },
  benchmark: { requests: 32, warmupRequests: 2, requestTimeoutMs: 30_000 },
  slo: {
    terms: [
      { metric: 'ttft', stat: 'p90', maxMs: 2_000 },
      { metric: 'tpot', stat: 'p90', maxMs: 250 },
    ],
    // llama-server now and then drops a connection under load: a failed request, not a failed trial.
    maxErrorRate: 0.2,
  },
  // The fastest answers at that rate: lowest p90 end-to-end latency among the configurations meeting the SLO.
  objective: { kind: 'latency', metric: 'e2e', stat: 'p90' },
  budget: { maxTrials },
  confirm: { top: 2, repeats: 1 },
  timeouts: { startupMs: 120_000, trialMs: 300_000 },
  journal,
  seed: 1,
});

const counts = new Map<string, number>();
for (const trial of result.trials) counts.set(trial.state, (counts.get(trial.state) ?? 0) + 1);
console.log(`Trials: ${[...counts].map(([state, n]) => `${n} ${state}`).join(', ')}`);
const best = result.best;
if (!best) {
  console.log('No configuration met the SLO.');
  process.exit(3);
}
const m = best.record.metrics;
console.log(`Best configuration (trial ${best.trial}):`, best.params);
console.log(
  `  E2E p90 ${m?.e2eMs.p90?.toFixed(0)} ms, ${m?.outputTokensPerS.toFixed(0)} output tok/s, TTFT p90 ${m?.ttftMs.p90?.toFixed(0)} ms, ` +
    `TPOT p90 ${m?.tpotMs.p90?.toFixed(1)} ms, error rate ${((m?.errorRate ?? 0) * 100).toFixed(1)}%`,
);
console.log(`Run it: ${best.exports.dockerRun}`);
console.log(`Journal: ${result.journalPath}`);
