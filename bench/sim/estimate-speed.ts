// Cost of estimate() and of a simulated-time run (runVirtual) over a sweep of configurations, side by side.
// Usage: npx tsx bench/sim/estimate-speed.ts
import { estimate } from '../../src/sim/estimate.js';
import { resolveSimConfig } from '../../src/sim/sim-config.js';
import { runVirtual } from '../../src/sim/virtual-run.js';
import { createRng } from '../../src/util/rng.js';

const rng = createRng(42);
const configs = Array.from({ length: 200 }, () =>
  resolveSimConfig({
    model: rng.pick(['llama-3.1-8b', 'qwen2.5-14b', 'llama-3.1-70b', 'mixtral-8x7b']),
    gpu: rng.pick(['h100', 'a100-80gb', 'l40s', 'h200']),
    tensorParallel: rng.pick([1, 2, 4, 8]),
    numGpus: 8,
    maxNumSeqs: rng.pick([16, 64, 256, 1024]),
    maxBatchedTokens: rng.pick([512, 2048, 8192]),
    gpuMemoryUtilization: rng.pick([0.7, 0.8, 0.9, 0.95]),
    maxModelLen: 8192,
  }),
);
const workload = { promptTokens: 1000, outputTokens: 200, concurrency: 64 };

let failures = 0;
const t0 = performance.now();
const rounds = 50;
for (let round = 0; round < rounds; round++)
  for (const config of configs) if (!estimate(config, workload).ok) failures++;
const estimateUs = ((performance.now() - t0) * 1000) / (rounds * configs.length);

const t1 = performance.now();
let runs = 0;
for (const config of configs.slice(0, 40)) {
  runVirtual(config, workload, { requests: 200 });
  runs++;
}
const virtualMs = (performance.now() - t1) / runs;
console.log(
  `node ${process.version}; ${configs.length} configurations (${failures / rounds} fail at start-up)`,
);
console.log(`estimate():   ${estimateUs.toFixed(1)} us per call (pre-resolved config)`);
console.log(`runVirtual(): ${virtualMs.toFixed(1)} ms per run of 200 measured requests`);
console.log(
  `ratio runVirtual / estimate: ${Math.round((virtualMs * 1000) / estimateUs).toLocaleString('en-US')}x`,
);
