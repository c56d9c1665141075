// Probes needed to find the highest request rate meeting an SLO: this library's bracketing + bisection
// (searchLevels) against vLLM auto_tune's method (one run at an unbounded rate to measure the saturation
// throughput T, then rates floor(T) + 1, floor(T), ... stepping down 1 req/s until the SLO holds).
// Both work at 1 req/s resolution, so they reach the same answer, floor(C) for an SLO capacity C.
// Part 1 uses an exact threshold server (meets iff rate <= C) over a grid of cases; part 2 runs real
// benchmarks against the simulated engine and checks both methods agree.
// Run: npx tsx bench/loadgen/capacity-probes.ts
import { capacitySearch, metricsMeetSlo } from '../../src/benchmark/capacity-search.js';
import { runBenchmark } from '../../src/benchmark/run-benchmark.js';
import { searchLevels } from '../../src/benchmark/search-levels.js';
import { syntheticWorkload } from '../../src/benchmark/synthetic-workload.js';
import { startSimServer } from '../../src/sim/sim-server.js';
import type { SloSpec } from '../../src/slo/types.js';
import { createLogger } from '../../src/util/logger.js';

/** vLLM auto_tune: probes (including the unbounded-rate run) and the answer. */
async function linearStepDown(saturationRps: number, meets: (rate: number) => Promise<boolean>) {
  let probes = 1;
  const levels: string[] = [];
  for (let rate = Math.floor(saturationRps) + 1; rate >= 1; rate--) {
    probes++;
    const ok = await meets(rate);
    levels.push(`${rate}${ok ? '+' : '-'}`);
    if (ok) return { probes, answer: rate, levels };
  }
  return { probes, answer: undefined, levels };
}

async function part1(): Promise<void> {
  console.log('## Part 1: exact threshold server (SLO capacity C, saturation throughput T)');
  console.log(
    '| T (req/s) | C (req/s) | linear step-down probes | ours cold probes | ours from T probes | same answer |',
  );
  console.log('|---|---|---|---|---|---|');
  let linearTotal = 0;
  let coldTotal = 0;
  let warmTotal = 0;
  for (const saturation of [6.4, 12.7, 33.1, 80.5, 210.2]) {
    for (const share of [0.5, 0.8, 0.95]) {
      const capacity = saturation * share;
      const meets = async (rate: number) => rate <= capacity;
      const linear = await linearStepDown(saturation, meets);
      const probe = async (rate: number) => ({ meets: rate <= capacity });
      // Whole req/s levels, bracket closed at width 1: the same resolution as the step-down.
      const cold = await searchLevels(probe, { integer: true, tolerance: 1e-6 });
      // Same information as auto_tune: one unbounded run (counted) gives T, then search starting from it.
      const warm = await searchLevels(probe, {
        integer: true,
        tolerance: 1e-6,
        start: Math.floor(saturation),
      });
      const same = linear.answer === cold.best && cold.best === warm.best;
      linearTotal += linear.probes;
      coldTotal += cold.probes.length;
      warmTotal += warm.probes.length + 1;
      console.log(
        `| ${saturation} | ${capacity.toFixed(2)} | ${linear.probes} | ${cold.probes.length} | ${warm.probes.length + 1} | ${same ? 'yes' : `NO (${linear.answer} vs ${cold.best}/${warm.best})`} |`,
      );
    }
  }
  console.log(`| total | | ${linearTotal} | ${coldTotal} | ${warmTotal} | |`);
  console.log(`ratio linear / ours (cold): ${(linearTotal / coldTotal).toFixed(2)}x\n`);
}

const TPOT_SLO_MS = 20;

async function part2(): Promise<void> {
  console.log('## Part 2: real benchmarks against the simulated engine (in-process, time scale 1)');
  const sim = await startSimServer({
    config: { model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 0, seed: 1 },
  });
  await sim.ready;
  const logger = createLogger({ level: 'error' });
  const workload = syntheticWorkload({
    inputTokens: 2_048,
    outputTokens: 32,
    calibration: { overheadTokens: 0, tokensPerWord: 1 },
  });
  const slo: SloSpec = { terms: [{ metric: 'tpot', stat: 'p90', maxMs: TPOT_SLO_MS }], maxErrorRate: 0 };
  const base = {
    endpoint: sim.url,
    model: sim.config.servedModelName,
    workload,
    stop: { maxDurationMs: 2_000 },
    warmupRequests: 4,
    logger,
    seed: 7,
  };
  try {
    const t0 = performance.now();
    // auto_tune's first run: every request at once (a rate of "inf") to measure saturation throughput.
    const burst = await runBenchmark({
      ...base,
      load: { kind: 'concurrency', concurrency: 64 },
      stop: { maxRequests: 128 },
    });
    const saturation = burst.metrics.requestsPerS;
    // Fresh prompts for every run, as capacitySearch does: replayed prompts would hit the prefix cache.
    let workloadOffset = burst.records.length;
    const meets = async (rate: number) => {
      const r = await runBenchmark({
        ...base,
        slo,
        workloadOffset,
        load: { kind: 'rate', ratePerS: rate, arrival: 'constant' },
      });
      workloadOffset += r.records.length;
      return metricsMeetSlo(r.metrics, slo);
    };
    const linear = await linearStepDown(saturation, meets);
    const linearS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const ours = await capacitySearch(
      { ...base, workloadOffset: 1_000_000 },
      {
        slo,
        dimension: 'rate',
        integer: true,
        tolerance: 1e-6,
        rateLoad: { kind: 'rate', arrival: 'constant' },
      },
    );
    const oursS = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    const fromT = await capacitySearch(
      { ...base, workloadOffset: 2_000_000 },
      {
        slo,
        dimension: 'rate',
        integer: true,
        tolerance: 1e-6,
        start: Math.floor(saturation),
        rateLoad: { kind: 'rate', arrival: 'constant' },
      },
    );
    const fromTS = (performance.now() - t2) / 1000 + burst.durationS;
    console.log(
      `saturation throughput ${saturation.toFixed(1)} req/s; 2048-token prompts, 32 output tokens; SLO p90 TPOT <= ${TPOT_SLO_MS} ms; constant arrivals, 2 s per probe`,
    );
    console.log('| method | probes | answer (req/s) | wall time (s) |');
    console.log('|---|---|---|---|');
    console.log(
      `| linear 1 req/s step-down (vLLM auto_tune) | ${linear.probes} | ${linear.answer} | ${linearS.toFixed(1)} |`,
    );
    console.log(
      `| bracketing + bisection (capacitySearch, cold) | ${ours.probeCount} | ${ours.capacity} | ${oursS.toFixed(1)} |`,
    );
    console.log(
      `| bracketing + bisection from T (one unbounded run + capacitySearch) | ${fromT.probeCount + 1} | ${fromT.capacity} | ${fromTS.toFixed(1)} |`,
    );
    console.log(`probed levels (linear): ${linear.levels.join(' ')}`);
    console.log(
      `probed levels (ours, from T): ${fromT.probes.map((p) => `${p.level}${p.meets ? '+' : '-'}`).join(' ')}`,
    );
    console.log(
      `probed levels (ours, cold): ${ours.probes.map((p) => `${p.level}${p.meets ? '+' : '-'}`).join(' ')}`,
    );
  } finally {
    await sim.close();
  }
}

await part1();
if (process.argv[2] !== 'model-only') await part2();
