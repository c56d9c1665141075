import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { study } from '../../src/tune/study.js';
import { isNotLaunched } from '../../src/tune/trial-record.js';
import { scratchDir } from '../support/scratch-dir.js';

const dir = scratchDir('study-capacity-');

// A simulated study on 2 GPUs whose space combines tensor and data parallel sizes of 1 and 2 into layouts of up
// to 4, with an SLO tight enough that the search keeps looking (and the SLO repair reaches for more GPUs).
function onTwoGpus(name: string, maxNumSeqs: number[], maxTrials: number): TuneOptionsInput {
  return {
    name,
    runtime: 'sim',
    model: 'llama-3.1-8b',
    sim: { gpu: 'l40s', numGpus: 2 },
    space: {
      'tensor-parallel-size': { values: [1, 2], default: 1 },
      'data-parallel-size': { values: [1, 2], default: 1 },
      'max-num-seqs': { values: maxNumSeqs, default: maxNumSeqs.at(-1) as number },
    },
    workload: { kind: 'synthetic', inputTokens: 2000, outputTokens: 300 },
    load: { kind: 'concurrency', levels: [48] },
    slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 20 }] },
    objective: 'maximize_throughput',
    budget: { maxTrials },
    baseline: false,
    confirm: { top: 0, repeats: 0 },
    journal: join(dir(), `${name}.jsonl`),
  };
}

describe('layouts wider than the GPUs in a study', () => {
  it('records them as no-capacity outside the budget and stops proposing layouts as wide', async () => {
    const options = onTwoGpus('capacity', [16, 32, 64, 128, 256], 10);
    const running = study(options, { mode: 'estimate' });
    for await (const _ of running);
    const { trials } = await running.result;
    const refused = trials.filter((t) => t.failureReason === 'no-capacity');
    expect(refused.length).toBeGreaterThan(0);
    for (const t of refused) {
      expect(t).toMatchObject({ state: 'invalid', gpuIndices: [] });
      expect(t.worldSize).toBeGreaterThan(2);
      expect(t.failure?.message).toMatch(/needs more GPUs than are available/);
      expect(isNotLaunched(t)).toBe(true);
    }
    // The budget counts the trials that ran.
    expect(trials.filter((t) => !isNotLaunched(t))).toHaveLength(10);
    // Once a layout was refused, the search proposes none needing as many GPUs along every parallel size.
    const first = refused[0];
    const wide = (t: (typeof trials)[number], than: (typeof trials)[number]) =>
      Number(t.params['tensor-parallel-size']) >= Number(than.params['tensor-parallel-size']) &&
      Number(t.params['data-parallel-size']) >= Number(than.params['data-parallel-size']);
    const later = trials.filter(
      (t) => first && t.number > first.number && t.origin?.kind === 'model' && wide(t, first),
    );
    expect(later).toEqual([]);

    // Resumed with a larger budget: the journal's refusals are not counted as trials run.
    const resumed = study({ ...options, budget: { maxTrials: 12 } }, { mode: 'estimate', resume: true });
    const events = [];
    for await (const event of resumed) events.push(event);
    expect(events[0]).toMatchObject({ type: 'study-started', resumedTrials: 10, maxTrials: 12 });
    const after = (await resumed.result).trials;
    expect(after.filter((t) => !isNotLaunched(t))).toHaveLength(12);
  });

  it('ends when every configuration left needs more GPUs than the study has', async () => {
    const running = study(onTwoGpus('capacity-all', [16, 32, 64], 40), { mode: 'estimate' });
    const events = [];
    for await (const event of running) events.push(event);
    const { trials } = await running.result;
    // The 9 layouts of 2 GPUs or fewer all ran; of the 3 of 4 GPUs, only what taught the rule was recorded.
    expect(trials.filter((t) => !isNotLaunched(t))).toHaveLength(9);
    expect(trials.filter((t) => t.failureReason === 'no-capacity').length).toBeLessThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({
      type: 'study-finished',
      reason: expect.stringMatching(/every configuration left \(\d\) needs more GPUs than the study has/),
    });
  });
});
