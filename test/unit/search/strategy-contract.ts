// The contract every SearchStrategy passes; run from strategies.test.ts for each strategy.
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { SearchSpace, SpaceInput } from '../../../src/search/param-spec.js';
import { isInSpace, paramsKey } from '../../../src/search/space-checks.js';
import type { SearchStrategy } from '../../../src/search/strategy.js';
import type { Params, Trial } from '../../../src/search/trial.js';

/** Builds a strategy for a space and seed. */
export type StrategyFactory = (space: SpaceInput, seed: number) => SearchStrategy;

export const contractSpace = normalizeSpace({
  parameters: {
    mode: ['a', 'b', 'c'],
    ratio: { type: 'float', low: 0.1, high: 0.9 },
    chunked: { type: 'bool' },
    threshold: { low: 16, high: 4096, log: true, when: { chunked: [true] } },
    seqs: { low: 32, high: 256, step: 32 },
  },
  constraints: [
    { left: 'threshold', op: '>=', right: 'seqs' },
    {
      name: 'no c with high ratio',
      predicate: (p: Params) => !(p.mode === 'c' && (p.ratio as number) > 0.7),
    },
  ],
});

const smallSpace = normalizeSpace({ x: [1, 2, 3], y: { type: 'bool' } });

function evaluate(number: number, params: Params): Trial {
  // A crash region (like OOM) and an SLO constraint, so strategies see every trial state.
  if (params.mode === 'b' && (params.seqs as number) >= 192)
    return { number, params, state: 'failed', failureReason: 'oom' };
  if (number % 7 === 3) return { number, params, state: 'invalid', failureReason: 'rejected' };
  const ratio = params.ratio as number;
  const value = (ratio - 0.4) ** 2 + (params.mode === 'a' ? 0 : 0.1) + (params.seqs as number) / 1000;
  return { number, params, state: 'complete', values: [value], constraints: [ratio - 0.8] };
}

/** Runs `rounds` asks of `count`, evaluating each suggestion; returns the history. */
export function runStudy(strategy: SearchStrategy, rounds: number, count = 1): Trial[] {
  const history: Trial[] = [];
  for (let r = 0; r < rounds; r++) {
    const { params } = strategy.ask(history, { count });
    for (const p of params) history.push(evaluate(history.length, p));
  }
  return history;
}

function keys(space: SearchSpace, trials: readonly Trial[]): string[] {
  return trials.map((t) => paramsKey(space, t.params));
}

/** The shared contract suite. */
export function strategyContract(name: string, create: StrategyFactory, rounds = 12): void {
  describe(`${name} strategy contract`, () => {
    it('suggests only configurations of the space that satisfy its constraints', () => {
      const history = runStudy(create(contractSpace, 1), rounds, 2);
      expect(history.length).toBeGreaterThan(0);
      for (const t of history) expect(isInSpace(contractSpace, t.params)).toBe(true);
    });

    it('is deterministic under a seed and continues identically after a resume', () => {
      const a = runStudy(create(contractSpace, 7), rounds);
      const b = runStudy(create(contractSpace, 7), rounds);
      expect(keys(contractSpace, b)).toEqual(keys(contractSpace, a));
      const resumed = create(contractSpace, 7).ask(a.slice(0, rounds - 2)).params;
      expect(resumed.map((p) => paramsKey(contractSpace, p))).toEqual([
        paramsKey(contractSpace, a[rounds - 2]?.params ?? {}),
      ]);
    });

    it('never repeats a configuration, within a batch or against the history', () => {
      const history = runStudy(create(contractSpace, 3), Math.ceil(rounds / 2), 3);
      const all = keys(contractSpace, history);
      expect(new Set(all).size).toBe(all.length);
    });

    it('says why it suggested each configuration, one origin per configuration', () => {
      const strategy = create(contractSpace, 2);
      const history: Trial[] = [];
      for (let r = 0; r < 4; r++) {
        const { params, origins } = strategy.ask(history, { count: 2 });
        expect(origins).toHaveLength(params.length);
        for (const origin of origins ?? [])
          expect(['defaults', 'initial', 'repair', 'design', 'model', 'grid', 'random']).toContain(
            origin.kind,
          );
        for (const p of params) history.push(evaluate(history.length, p));
      }
    });

    it('treats running trials as taken', () => {
      const strategy = create(contractSpace, 5);
      const history = runStudy(strategy, 5);
      const first = strategy.ask(history).params[0] as Params;
      const next = strategy.ask([
        ...history,
        { number: history.length, params: first, state: 'running' },
      ]).params;
      expect(next.map((p) => paramsKey(contractSpace, p))).not.toContain(paramsKey(contractSpace, first));
    });

    it('keeps going after failed and invalid trials without values', () => {
      const history: Trial[] = runStudy(create(contractSpace, 11), 3).map((t) => ({
        number: t.number,
        params: t.params,
        state: t.number % 2 === 0 ? 'failed' : 'invalid',
        failureReason: 'crash',
      }));
      const { params } = create(contractSpace, 11).ask(history, { count: 2 });
      expect(params).toHaveLength(2);
      for (const p of params) expect(isInSpace(contractSpace, p)).toBe(true);
    });

    it('reports exhaustion of a finite space after visiting every point once', () => {
      const strategy = create(smallSpace, 2);
      const history: Trial[] = [];
      let exhausted = false;
      for (let i = 0; i < 10 && !exhausted; i++) {
        const answer = strategy.ask(history, { count: 4 });
        for (const p of answer.params)
          history.push({
            number: history.length,
            params: p,
            state: 'complete',
            values: [Number(p.x) + (p.y ? 1 : 0)],
          });
        exhausted = answer.exhausted;
        if (exhausted) expect(answer.stop?.kind).toBe('exhausted');
      }
      expect(exhausted).toBe(true);
      expect(new Set(keys(smallSpace, history)).size).toBe(6);
      expect(history).toHaveLength(6);
      expect(strategy.ask(history)).toMatchObject({ params: [], exhausted: true });
    });

    it('rejects a bad ask count', () => {
      expect(() => create(smallSpace, 0).ask([], { count: 0 })).toThrow(InvalidOptionError);
    });
  });
}
