import { createBayesStrategy } from '../../src/search/bayes-strategy.js';
import { createRng } from '../../src/util/rng.js';
import { generateProblem } from './generator.js';
import { feasible, measure } from './problem.js';
import type { Trial } from '../../src/search/trial.js';
const seed = Number(process.argv[2]); const runSeed = Number(process.argv[3] ?? 0); const n = Number(process.argv[4] ?? 20);
const p = generateProblem(seed);
console.log(p.name, p.description, 'size', p.size, 'feas', p.feasibleShare.toFixed(3), 'fail', p.failureShare.toFixed(3));
console.log(p.space.params.map((q) => `${q.name}:${q.kind === 'categorical' ? JSON.stringify(q.values) : q.kind === 'bool' ? 'bool' : `${q.low}..${q.high}/${q.step}`} d=${q.default}${q.when ? ' when ' + JSON.stringify(q.when) : ''} lowers=${JSON.stringify(q.lowers ?? {})}`).join('\n'));
const s = createBayesStrategy(p.space, { seed: runSeed, constraintMetrics: p.constraintMetrics ?? [] });
const rng = createRng(runSeed).fork(`noise:${p.name}`);
const h: Trial[] = [];
for (let i = 0; i < n; i++) {
  const a = s.ask(h, { count: 1 });
  const params = a.params[0]!; const t = measure(p, h.length, params, rng); h.push(t);
  const o = p.evaluate(params);
  console.log(i + 1, a.origins?.[0]?.kind, JSON.stringify(params), t.state, t.failureReason ?? t.constraints?.map((c) => c.toFixed(2)).join(','), feasible(o) ? 'FEASIBLE' : '');
  if (feasible(o)) break;
}
// feasible configs
let shown = 0;
import { expandGrid } from '../../src/search/grid.js';
for (const q of expandGrid(p.space, 2000)) { const o = p.evaluate(q); if (feasible(o) && shown++ < 6) console.log('feasible:', JSON.stringify(q), o.constraints.map((c) => c.toFixed(2)).join(',')); }
