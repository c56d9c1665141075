// CLI: regenerates test/fixtures/journals/simulated-study.jsonl, the journal the browser test of the HTML
// report renders. Usage: npx tsx test/support/generate-simulated-study.ts
//
// A real seeded study of the simulated engine through the local controller (real server processes, real
// HTTP). The strategy and the simulator are seeded, so the same configurations are asked in the same order;
// the measured figures vary a little from run to run, which is why the test reads the committed journal
// instead of running the study. The simulator runs at time scale 2: a busy machine adds milliseconds to each
// request, far below the latencies measured, so every trial completes and the report has every chart.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tune } from '../../src/index.js';

const out = fileURLToPath(new URL('../fixtures/journals/simulated-study.jsonl', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'simulated-study-'));
try {
  const result = await tune({
    name: 'simulated-study',
    runtime: 'sim',
    model: 'llama-3.1-8b',
    sim: { gpu: 'h100', numGpus: 4, timeScale: 2 },
    // Every configuration starts (an unchunked budget must cover the context), so the importance chart has
    // measured trials to work with.
    fixedParams: { 'max-model-len': 4096 },
    space: {
      'max-num-seqs': [8, 16, 32, 64, 128],
      'max-num-batched-tokens': [4096, 8192],
      'enable-chunked-prefill': [true, false],
    },
    budget: { maxTrials: 7 },
    benchmark: { requests: 30, warmupRequests: 2 },
    load: { kind: 'concurrency', levels: [32] },
    workload: { kind: 'synthetic', inputTokens: 512, outputTokens: 64 },
    slo: { terms: [{ metric: 'ttft', stat: 'p99', maxMs: 2000 }] },
    confirm: { top: 1, repeats: 1 },
    controller: { kind: 'local', stateDir: join(dir, 'state') },
    journal: join(dir, 'study.jsonl'),
    seed: 3,
  });
  const complete = result.trials.filter((t) => t.phase === 'search' && t.state === 'complete').length;
  // The importance chart needs at least 4 complete search trials; a run short of that is no fixture.
  if (complete < 4)
    throw new Error(`only ${complete} search trials completed; run again on a quieter machine`);
  await copyFile(result.journalPath, out);
  console.log(`wrote ${out} (${result.trials.length} trials, ${complete} complete search trials)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
