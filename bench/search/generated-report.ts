// Tables of the generated-problem benchmark: distributions of trials to 1% and to the first feasible
// configuration per strategy, overall and by the feasible and failure shares of the space, and the goals.
import type { GeneratedProblem } from './generator.js';
import { NOISE_CV } from './problem.js';
import type { RunResult } from './runner.js';
import { quantile } from './stats.js';

/** One run of one strategy on one problem. */
export interface Run {
  problem: GeneratedProblem;
  result: RunResult;
}

/** Buckets of the feasible share and of the start-up failure share of a space, by upper edge. */
export const FEASIBLE_BUCKETS = [
  { label: 'feasible < 3%', below: 0.03 },
  { label: 'feasible 3-10%', below: 0.1 },
  { label: 'feasible 10-25%', below: 0.25 },
  { label: 'feasible >= 25%', below: Infinity },
];
export const FAILURE_BUCKETS = [
  { label: 'failures < 20%', below: 0.2 },
  { label: 'failures 20-50%', below: 0.5 },
  { label: 'failures 50-80%', below: 0.8 },
  { label: 'failures >= 80%', below: Infinity },
];

/** Median, 90th percentile and never-reached share of a trial count. */
export interface Summary {
  runs: number;
  w1: [number, number];
  ff: [number, number];
  neverFeasible: number;
  neverWithin1: number;
}

export function summarise(runs: readonly Run[]): Summary {
  const w1 = runs.map((r) => r.result.within1);
  const ff = runs.map((r) => r.result.firstFeasible);
  const share = (values: number[]) =>
    values.filter((v) => !Number.isFinite(v)).length / Math.max(1, runs.length);
  return {
    runs: runs.length,
    w1: [quantile(w1, 0.5), quantile(w1, 0.9)],
    ff: [quantile(ff, 0.5), quantile(ff, 0.9)],
    neverFeasible: share(ff),
    neverWithin1: share(w1),
  };
}

const count = (v: number, budget: number): string =>
  Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : `>${budget}`;
const pct = (v: number, digits?: number): string =>
  `${(v * 100).toFixed(digits ?? (v > 0 && v < 0.01 ? 1 : 0))}%`;

function cell(s: Summary, budget: number): string {
  if (s.runs === 0) return '-';
  return `${count(s.w1[0], budget)} / ${count(s.w1[1], budget)} · ${count(s.ff[0], budget)} / ${count(s.ff[1], budget)} · ${pct(s.neverFeasible)}`;
}

function grouped(
  title: string,
  buckets: { label: string; below: number }[],
  share: (p: GeneratedProblem) => number,
  results: Map<string, Run[]>,
  budget: number,
): string[] {
  const names = [...results.keys()];
  const lines = [`\n${title}: cells are to 1% median / p90 · first feasible median / p90 · never feasible\n`];
  lines.push(`| bucket (problems) | ${names.join(' | ')} |`, `|---|${names.map(() => '---').join('|')}|`);
  let lower = 0;
  for (const b of buckets) {
    const inBucket = (r: Run) => share(r.problem) >= lower && share(r.problem) < b.below;
    const problems = new Set((results.get(names[0] ?? '') ?? []).filter(inBucket).map((r) => r.problem.name));
    const cells = names.map((n) => cell(summarise((results.get(n) ?? []).filter(inBucket)), budget));
    lines.push(`| ${b.label} (${problems.size}) | ${cells.join(' | ')} |`);
    lower = b.below;
  }
  return lines;
}

/** The whole report as lines. */
export function report(results: Map<string, Run[]>, budget: number): string[] {
  const lines = [
    '| strategy | runs | to 1%: median / p90 | first feasible: median / p90 | never feasible | never within 1% |',
  ];
  lines.push('|---|---|---|---|---|---|');
  const all = new Map([...results].map(([n, runs]) => [n, summarise(runs)]));
  for (const [n, s] of all)
    lines.push(
      `| ${n} | ${s.runs} | ${count(s.w1[0], budget)} / ${count(s.w1[1], budget)} | ${count(s.ff[0], budget)} / ${count(s.ff[1], budget)} | ${pct(s.neverFeasible)} | ${pct(s.neverWithin1)} |`,
    );
  lines.push(
    ...grouped('By feasible share of the space', FEASIBLE_BUCKETS, (p) => p.feasibleShare, results, budget),
  );
  lines.push(
    ...grouped(
      'By start-up failure share of the space',
      FAILURE_BUCKETS,
      (p) => p.failureShare,
      results,
      budget,
    ),
  );
  lines.push('', ...goals(results, all, budget));
  return lines;
}

// Ratio of two trial counts; "< x" when the second was never reached within the budget.
function ratioText(ours: number, theirs: number, budget: number): string {
  if (Number.isFinite(theirs)) return (ours / theirs).toFixed(2);
  return Number.isFinite(ours) ? `< ${(ours / budget).toFixed(2)}` : 'n/a';
}

function goals(results: Map<string, Run[]>, all: Map<string, Summary>, budget: number): string[] {
  const lines: string[] = [];
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  // Every arm of ours (the strategy alone, with screening, with the prior; one at a time or in batches of 4).
  const ours = [...all.keys()].filter((name) => !name.startsWith('optuna'));
  for (const name of ours) {
    const s = all.get(name);
    if (!s) continue;
    const never = (results.get(name) ?? []).filter(
      (r) => r.problem.feasibleShare >= 0.01 && !Number.isFinite(r.result.firstFeasible),
    );
    const oneShare = never.length;
    const withinNoise = never.filter((r) => (r.problem.feasibleMargin ?? 0) < NOISE_CV).length;
    lines.push(
      `${name}: first feasible median ${count(s.ff[0], budget)} (goal <= 2: ${check(s.ff[0] <= 2)}), p90 ${count(s.ff[1], budget)} (goal <= 5: ${check(s.ff[1] <= 5)}), runs never feasible on problems >= 1% feasible: ${oneShare} (goal 0: ${check(oneShare === 0)})${oneShare > 0 ? `, ${withinNoise} of them on problems whose every feasible configuration is within one noise sd (${pct(NOISE_CV)}) of a bound` : ''}`,
    );
    // Which problems the misses were on, with how far inside the SLO their most comfortable feasible
    // configuration is (to read beside the noise of one measurement, NOISE_CV).
    const missed = new Map<GeneratedProblem, number>();
    for (const r of never) missed.set(r.problem, (missed.get(r.problem) ?? 0) + 1);
    if (missed.size > 0)
      lines.push(
        `  missed: ${[...missed]
          .map(
            ([p, runs]) =>
              `${p.name} (${pct(p.feasibleShare)} feasible, best margin ${pct(p.feasibleMargin ?? 0, (p.feasibleMargin ?? 0) < 0.01 ? 2 : 1)}) x${runs}`,
          )
          .join('; ')}`,
      );
    for (const tpe of ['optuna-tpe', 'optuna-tpe-startup5']) {
      const t = all.get(tpe);
      if (!t) continue;
      lines.push(
        `${name} vs ${tpe}: to-1% median ${count(s.w1[0], budget)} / ${count(t.w1[0], budget)} = ${ratioText(s.w1[0], t.w1[0], budget)} (goal <= 0.4: ${check(s.w1[0] <= 0.4 * t.w1[0])}); p90 ${count(s.w1[1], budget)} below TPE median ${count(t.w1[0], budget)}: ${check(s.w1[1] < t.w1[0])}`,
      );
    }
  }
  for (const name of ours.filter((n) => n.endsWith('-batch4'))) {
    const seqName = name.slice(0, -'-batch4'.length);
    const seq = all.get(seqName);
    const batch = all.get(name);
    if (!seq || !batch) continue;
    const ratios = [
      batch.w1[0] / seq.w1[0],
      batch.w1[1] / seq.w1[1],
      batch.ff[0] / seq.ff[0],
      batch.ff[1] / seq.ff[1],
    ];
    lines.push(
      `${name} / ${seqName}: to 1% median ${ratios[0]?.toFixed(2)}, p90 ${ratios[1]?.toFixed(2)}; first feasible median ${ratios[2]?.toFixed(2)}, p90 ${ratios[3]?.toFixed(2)} (goal each <= 1.3: ${check(ratios.every((r) => r <= 1.3))})`,
    );
  }
  return lines;
}
