// Quickstart: tune the simulated vLLM engine for a chat workload under a latency SLO, locally, with no GPU and
// no Docker. The simulator runs 10x faster than real time, so the whole study takes well under a minute.
//
//   npx tsx examples/quickstart.ts
import { rmSync } from 'node:fs';
import { tune } from 'inference-autotuner';

const journal = '.autotune/quickstart.jsonl';
rmSync(journal, { force: true });

const result = await tune({
  name: 'quickstart',
  runtime: 'sim', // the built-in simulated engine, imitating vLLM's flags and behaviour
  model: 'llama-3.1-8b',
  sim: { gpu: 'a100-40gb', timeScale: 10 },
  fixedParams: { 'max-model-len': 4096 },
  space: {
    'max-num-seqs': [32, 48, 64, 80, 96, 128, 256],
    // Tokens per step matter with chunked prefill on; without it vLLM needs max-model-len of them per step.
    'max-num-batched-tokens': { values: [2048, 4096, 8192], when: { 'enable-chunked-prefill': [true] } },
    'enable-chunked-prefill': [true, false],
  },
  workload: { kind: 'synthetic', inputTokens: 512, outputTokens: 128 },
  load: { kind: 'concurrency', levels: [96] },
  benchmark: { requests: 120, warmupRequests: 8 },
  slo: {
    terms: [
      { metric: 'tpot', stat: 'p90', maxMs: 50 },
      { metric: 'ttft', stat: 'p99', maxMs: 10_000 },
    ],
  },
  objective: 'maximize_goodput',
  budget: { maxTrials: 8 },
  // The best configuration and the engine defaults are re-measured twice each, side by side: the comparison
  // with the defaults then comes with an interval, and a gain within noise is not sold as one.
  confirm: { top: 1, repeats: 2 },
  journal,
  seed: 1,
});

const best = result.best;
if (!best) {
  console.log('No configuration met the SLO.');
  process.exit(3);
}
const describe = (m: typeof best.record.metrics) =>
  `goodput ${m?.goodputRps?.toFixed(2)} req/s, ${m?.outputTokensPerS.toFixed(0)} output tok/s, ` +
  `TPOT p90 ${m?.tpotMs.p90?.toFixed(1)} ms, TTFT p99 ${m?.ttftMs.p99?.toFixed(0)} ms`;
const comparison = result.defaults;
if (comparison?.keepDefaults) {
  console.log(
    `Keep the engine defaults (trial ${best.trial}): no tuned configuration beat them beyond noise.`,
  );
} else {
  console.log(`Best configuration (trial ${best.trial}):`, best.params);
}
console.log(`  ${describe(best.record.metrics)}`);
const baseline = result.trials.find((t) => t.phase === 'baseline');
if (baseline?.metrics && baseline.number !== best.trial) {
  console.log(
    `Engine defaults, first run: ${describe(baseline.metrics)} (${baseline.feasible ? 'meets' : 'breaks'} the SLO)`,
  );
}
// One sentence with the verdict and its numbers over every run of each (the means can differ from the first run), e.g. "Trial 5 beats the engine defaults beyond noise: ...".
if (comparison) console.log(comparison.summary);
for (const caveat of best.caveats) console.log(`Caveat: ${caveat}`);
console.log(`Run it: ${best.exports.argv}`);
console.log(`Journal: ${result.journalPath}`);
