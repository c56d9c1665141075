import { createBayesStrategy } from '../../src/search/bayes-strategy.js';
import { createRng } from '../../src/util/rng.js';
import { generateProblems } from './generator.js';
import { feasible, measure } from './problem.js';
import type { Trial } from '../../src/search/trial.js';
const n = Number(process.argv[2] ?? 60);
const ps = generateProblems(0, n);
const tally = new Map<string, number>(); const firstBy = new Map<string, number>(); const ffs: number[] = [];
let defaultsFail = 0, defaultsFeasible = 0;
for (const p of ps) for (const runSeed of [0]) {
  const s = createBayesStrategy(p.space, { seed: runSeed, constraintMetrics: p.constraintMetrics ?? [] });
  const rng = createRng(runSeed).fork(`noise:${p.name}`);
  const h: Trial[] = []; let ff = 51;
  for (let i = 0; i < 50; i++) {
    const a = s.ask(h, { count: 1 }); const params = a.params[0]!; const t = measure(p, h.length, params, rng); h.push(t);
    const kind = a.origins?.[0]?.kind ?? '?';
    const ok = feasible(p.evaluate(params));
    if (i === 0 && kind === 'defaults') { if (t.state !== 'complete') defaultsFail++; if (ok) defaultsFeasible++; }
    const k = `${kind}:${t.state === 'complete' ? (ok ? 'feasible' : 'slo-miss') : t.failureReason}`;
    tally.set(k, (tally.get(k) ?? 0) + 1);
    if (ok) { ff = i + 1; firstBy.set(kind, (firstBy.get(kind) ?? 0) + 1); break; }
  }
  ffs.push(ff);
}
ffs.sort((a, b) => a - b);
console.log({ defaultsFail, defaultsFeasible, median: ffs[Math.floor(ffs.length / 2)], p90: ffs[Math.floor(ffs.length * 0.9)], le2: ffs.filter((x) => x <= 2).length, le5: ffs.filter((x) => x <= 5).length });
console.log([...tally].sort((a, b) => b[1] - a[1]));
console.log(firstBy);
