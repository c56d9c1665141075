// Wall time of the smallest study a new user writes, `tune({ model: 'llama-3.1-8b' })`: every option at its
// default (the simulated engine, 20 search trials, baseline, confirmation), run for real against local
// simulator processes. `--time-scale N` sets `sim.timeScale` instead of its default, for comparison.
//
//   npx tsx bench/study/default-tune.ts [--time-scale 10]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tune } from '../../src/index.js';

const { values: args } = parseArgs({ options: { 'time-scale': { type: 'string' } } });
const dir = await mkdtemp(join(tmpdir(), 'default-tune-'));
try {
  const started = performance.now();
  const result = await tune({
    model: 'llama-3.1-8b',
    journal: join(dir, 'study.jsonl'),
    ...(args['time-scale'] ? { sim: { timeScale: Number(args['time-scale']) } } : {}),
  });
  const wallS = (performance.now() - started) / 1000;
  const byPhase = new Map<string, number>();
  for (const t of result.trials) byPhase.set(t.phase, (byPhase.get(t.phase) ?? 0) + 1);
  const trialS = result.trials.map((t) => t.durationMs / 1000).sort((a, b) => a - b);
  const median = trialS[Math.floor(trialS.length / 2)] ?? 0;
  console.log(`sim.timeScale ${args['time-scale'] ?? 'default'}, Node ${process.version}`);
  console.log(
    `wall time ${wallS.toFixed(1)} s, ${result.trials.length} trials (${[...byPhase].map(([p, n]) => `${n} ${p}`).join(', ')})`,
  );
  console.log(`trial duration median ${median.toFixed(1)} s, max ${(trialS.at(-1) ?? 0).toFixed(1)} s`);
  console.log(`stop: ${result.stopReason}; best: trial ${result.best?.trial ?? '-'}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
