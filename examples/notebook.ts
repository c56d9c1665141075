// Step-by-step use from a script or notebook (tsx / ts-node): validate, look at the plan, run a study while
// watching its events, then inspect the trials. Runs against the simulated engine: no GPU, no Docker.
//
//   npx tsx examples/notebook.ts
import { rmSync } from 'node:fs';
import { describePlan, study, type TuneOptionsInput } from 'inference-autotuner';

// 1. Describe the study. Only `model` is required for the simulated engine; everything else has defaults.
const options: TuneOptionsInput = {
  name: 'notebook',
  model: 'qwen2.5-7b',
  sim: { gpu: 'l40s', timeScale: 20 },
  fixedParams: { 'max-model-len': 4096 },
  space: { 'max-num-seqs': [8, 16, 32, 64], 'enable-prefix-caching': [true, false] },
  workload: { kind: 'synthetic', inputTokens: 256, outputTokens: 64 },
  load: { kind: 'concurrency', levels: [24] },
  benchmark: { requests: 48, warmupRequests: 4 },
  slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 80 }] },
  budget: { maxTrials: 4 },
  confirm: { top: 1, repeats: 1 },
  journal: '.autotune/notebook.jsonl',
};
rmSync('.autotune/notebook.jsonl', { force: true });

// 2. Validate and look at the plan before spending any time.
console.log(describePlan(options).text);

// 3. Run it and watch the events as they come.
const running = study(options);
for await (const event of running) {
  if (event.type === 'trial-finished' || event.type === 'trial-failed') {
    const r = event.record;
    console.log(
      `trial ${r.number} (${r.phase}): ${r.state}${r.objective ? `, ${r.objective[0]?.toFixed(0)} tok/s` : ''}`,
    );
  } else if (event.type === 'best-improved') {
    console.log(`  new best: trial ${event.trial}`);
  }
}

// 4. Inspect the result: every trial, the winner and its ready-to-run forms.
const result = await running.result;
console.table(
  result.trials.map((t) => ({
    trial: t.number,
    phase: t.phase,
    state: t.state,
    feasible: t.feasible,
    ...t.params,
  })),
);
// How the recommendation compares with the engine defaults, in one sentence with its numbers and verdict.
if (result.defaults) console.log(result.defaults.summary);
const recommended = result.defaults?.keepDefaults ? 'keep the engine defaults' : 'winner';
console.log(
  result.best
    ? `${recommended}: trial ${result.best.trial}\n${result.best.exports.compose}`
    : 'no feasible configuration',
);
