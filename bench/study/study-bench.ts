// Wall time of a 32-trial simulated study with mixed world sizes (tensor parallel 1/2/4/8) on a static 8-GPU
// inventory, parallel versus sequential, against the ideal packing bound; and the tuner's own overhead per
// trial (ask, validation, lease, scoring, journal fsync, events: everything but start-up and benchmark).
//
//   npx tsx bench/study/study-bench.ts [--scale 0.02] [--repeats 3] [--max-overtakes N]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { tune } from '../../src/tune/study.js';
import { areaBoundMs, listScheduleMs, loopScheduleMs } from './packing.js';
import { type TimedRun, timedEvaluator, trialTimeOf } from './timed-evaluator.js';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.02' },
    repeats: { type: 'string', default: '3' },
    // The GPU pool's backfilling bound (the study option `maxOvertakes`); unset: the pool's default.
    'max-overtakes': { type: 'string' },
  },
});
const maxOvertakes = args['max-overtakes'] === undefined ? undefined : Number(args['max-overtakes']);
const scale = Number(args.scale);
const repeats = Number(args.repeats);
const GPUS = 8;
const TRIALS = 32;

const gpus = Array.from({ length: GPUS }, (_, index) => ({
  index,
  uuid: `GPU-bench-${index}`,
  name: 'NVIDIA H100 80GB HBM3',
  memoryTotalMiB: 81_559,
}));

function options(journal: string, strategy: 'grid' | 'random' | 'auto', parallel: number): TuneOptionsInput {
  return {
    model: 'llama-3.1-8b',
    sim: { gpu: 'h100' },
    gpus,
    maxParallelTrials: parallel,
    ...(maxOvertakes === undefined ? {} : { maxOvertakes }),
    fixedParams: { 'max-model-len': 4096 },
    // 4 world sizes x 8 batch limits = 32 configurations: each runs once.
    space: {
      'tensor-parallel-size': [1, 2, 4, 8],
      'max-num-seqs': [16, 32, 48, 64, 96, 128, 192, 256],
    },
    strategy,
    workload: { kind: 'synthetic', inputTokens: 1024, outputTokens: 256 },
    load: { kind: 'concurrency', levels: [64] },
    benchmark: { requests: 200, warmupRequests: 8 },
    slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 60 }] },
    objective: 'maximize_throughput',
    budget: { maxTrials: TRIALS },
    baseline: false,
    confirm: { top: 0, repeats: 0 },
    journal,
    seed: 7,
  };
}

interface Measured {
  wallMs: number;
  runs: TimedRun[];
  trials: number;
}

async function runStudy(
  dir: string,
  strategy: 'grid' | 'random' | 'auto',
  parallel: number,
  trialScale: number,
): Promise<Measured> {
  const journal = join(dir, `${strategy}-${parallel}-${trialScale}-${performance.now()}.jsonl`);
  const input = options(journal, strategy, parallel);
  const runs: TimedRun[] = [];
  const startMs = performance.now();
  const result = await tune(input, { evaluator: timedEvaluator(input, trialScale, runs) });
  return { wallMs: performance.now() - startMs, runs, trials: result.trials.length };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dir = await mkdtemp(join(tmpdir(), 'study-bench-'));
try {
  // Trial durations of the 32 configurations, as the evaluator will sleep them.
  const timeOf = trialTimeOf(options(join(dir, 'x.jsonl'), 'grid', 1));
  const items = [1, 2, 4, 8].flatMap((tp) =>
    [16, 32, 48, 64, 96, 128, 192, 256].map((seqs) => {
      const t = timeOf({ 'tensor-parallel-size': tp, 'max-num-seqs': seqs });
      return { gpus: tp, durationMs: (t.startupMs + t.benchmarkMs) * scale };
    }),
  );
  const sumMs = items.reduce((a, b) => a + b.durationMs, 0);
  const bound = areaBoundMs(items, GPUS);
  const listed = listScheduleMs(items, GPUS);
  console.log(`${TRIALS} trials, tp 1/2/4/8 x 8 max-num-seqs values, ${GPUS} GPUs, time scale ${scale}`);
  for (const tp of [1, 2, 4, 8]) {
    const ds = items.filter((i) => i.gpus === tp).map((i) => i.durationMs);
    console.log(`  tp ${tp}: trial ${s(Math.min(...ds))} .. ${s(Math.max(...ds))}`);
  }
  console.log(`sum of trial durations (sequential ideal): ${s(sumMs)}`);
  console.log(`ideal packing bound max(sum(d x gpus) / ${GPUS}, longest): ${s(bound)}`);
  console.log(`offline list schedule (widest first, backfilling): ${s(listed)}`);
  console.log('');
  const replays: Array<[string, Measured, number]> = [];
  console.log(`median of ${repeats} runs   wall time   vs bound   GPU utilisation   overhead/trial`);
  for (const [label, strategy, parallel] of [
    ['sequential, grid', 'grid', 1],
    ['parallel 8, grid', 'grid', GPUS],
    ['parallel 8, random', 'random', GPUS],
    ['parallel 8, bayes', 'auto', GPUS],
    ['parallel 4, bayes', 'auto', 4],
  ] as const) {
    const measured: Measured[] = [];
    for (let r = 0; r < repeats; r++) measured.push(await runStudy(dir, strategy, parallel, scale));
    const short = measured.filter((m) => m.trials !== TRIALS).map((m) => m.trials);
    if (short.length > 0) console.log(`  (warning: ${label} ran ${short.join(', ')} trials, not ${TRIALS})`);
    const wall = median(measured.map((m) => m.wallMs));
    if (parallel > 1) replays.push([label, measured[0] as Measured, parallel]);
    const utilisation = median(
      measured.map(
        (m) => m.runs.reduce((a, run) => a + run.evaluateMs * run.worldSize, 0) / (GPUS * m.wallMs),
      ),
    );
    const inside = median(measured.map((m) => m.runs.reduce((a, run) => a + run.evaluateMs, 0)));
    const overhead = parallel === 1 ? `${((wall - inside) / TRIALS).toFixed(1)} ms` : '';
    console.log(
      `${label.padEnd(22)} ${s(wall).padStart(10)}   ${(wall / bound).toFixed(2).padStart(6)}x   ${(utilisation * 100).toFixed(0).padStart(13)}%   ${overhead.padStart(14)}`,
    );
  }
  console.log('');
  console.log(
    'the same asked orders replayed offline (measured trial times): strict FIFO pool vs backfilling',
  );
  for (const [label, m, parallel] of replays) {
    const asked = [...m.runs]
      .sort((a, b) => a.trial - b.trial)
      .map((run) => ({ gpus: run.worldSize, durationMs: run.evaluateMs }));
    const fifo = loopScheduleMs(asked, GPUS, parallel, 'fifo');
    const backfill = loopScheduleMs(asked, GPUS, parallel, 'backfill');
    console.log(
      `  ${label.padEnd(20)} measured ${s(m.wallMs)}   FIFO ${s(fifo)} (${(fifo / bound).toFixed(2)}x)   backfill ${s(backfill)} (${(backfill / bound).toFixed(2)}x)`,
    );
  }
  console.log('');
  // The tuner alone: the same 32-trial study with zero-length trials (estimate only), sequential.
  console.log(`tuner overhead per trial, zero-length trials, sequential (median of ${repeats})`);
  console.log('  (whole tune() call / trials; gap = end of one evaluation to the start of the next)');
  for (const strategy of ['grid', 'random', 'auto'] as const) {
    const walls: number[] = [];
    const gaps: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const m = await runStudy(dir, strategy, 1, 0);
      walls.push(m.wallMs / m.trials);
      const byStart = [...m.runs].sort((a, b) => a.startMs - b.startMs);
      for (let i = 1; i < byStart.length; i++)
        gaps.push((byStart[i] as TimedRun).startMs - (byStart[i - 1] as TimedRun).endMs);
    }
    const name = strategy === 'auto' ? 'bayes (auto)' : strategy;
    console.log(
      `  ${name.padEnd(14)} ${median(walls).toFixed(1)} ms/trial; gap median ${median(gaps).toFixed(1)} ms, max ${Math.max(...gaps).toFixed(1)} ms`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
