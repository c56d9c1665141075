// The contract every SearchStrategy passes; run from strategies.test.ts for each strategy on the contract space,
// and on generated tuning problems from test/integration/search/generated-contract.test.ts.
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { SearchSpace, SpaceInput } from '../../../src/search/param-spec.js';
import { isInSpace, paramsKey } from '../../../src/search/space-checks.js';
import type { SearchStrategy } from '../../../src/search/strategy.js';
import type { Params, Trial } from '../../../src/search/trial.js';

/** Builds a strategy for a space and seed. */
export type StrategyFactory = (space: SpaceInput, seed: number) => SearchStrategy;

/** Evaluates the configuration of trial `number` into a finished trial. */
export type Evaluator = (number: number, params: Params) => Trial;

/** A space and its evaluation, on which the checks run for `rounds` asks. */
export interface ContractProblem {
  space: SearchSpace;
  evaluate: Evaluator;
  rounds: number;
}

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
export function runStudy(strategy: SearchStrategy, rounds: number, count = 1, evaluator = evaluate): Trial[] {
  const history: Trial[] = [];
  for (let r = 0; r < rounds; r++) {
    const { params } = strategy.ask(history, { count });
    for (const p of params) history.push(evaluator(history.length, p));
  }
  return history;
}

function keys(space: SearchSpace, trials: readonly Trial[]): string[] {
  return trials.map((t) => paramsKey(space, t.params));
}

const ORIGINS = ['defaults', 'initial', 'repair', 'design', 'model', 'grid', 'random'];

/** The checks of the contract that hold on any space: each throws (through expect) when broken. */
export const contractChecks: { title: string; check(create: StrategyFactory, p: ContractProblem): void }[] = [
  {
    title: 'suggests only configurations of the space that satisfy its constraints',
    check(create, { space, evaluate: ev, rounds }) {
      const history = runStudy(create(space, 1), rounds, 2, ev);
      expect(history.length).toBeGreaterThan(0);
      for (const t of history) expect(isInSpace(space, t.params)).toBe(true);
    },
  },
  {
    title: 'is deterministic under a seed and continues identically after a resume',
    check(create, { space, evaluate: ev, rounds }) {
      const a = runStudy(create(space, 7), rounds, 1, ev);
      const b = runStudy(create(space, 7), rounds, 1, ev);
      expect(keys(space, b)).toEqual(keys(space, a));
      const resumed = create(space, 7).ask(a.slice(0, rounds - 2)).params;
      expect(resumed.map((p) => paramsKey(space, p))).toEqual([
        paramsKey(space, a[rounds - 2]?.params ?? {}),
      ]);
    },
  },
  {
    title: 'never repeats a configuration, within a batch or against the history',
    check(create, { space, evaluate: ev, rounds }) {
      const all = keys(space, runStudy(create(space, 3), Math.ceil(rounds / 2), 3, ev));
      expect(new Set(all).size).toBe(all.length);
    },
  },
  {
    title: 'says why it suggested each configuration, one origin per configuration',
    check(create, { space, evaluate: ev }) {
      const strategy = create(space, 2);
      const history: Trial[] = [];
      for (let r = 0; r < 4; r++) {
        const { params, origins } = strategy.ask(history, { count: 2 });
        expect(origins).toHaveLength(params.length);
        for (const origin of origins ?? []) expect(ORIGINS).toContain(origin.kind);
        for (const p of params) history.push(ev(history.length, p));
      }
    },
  },
  {
    title: 'treats running trials as taken',
    check(create, { space, evaluate: ev }) {
      const strategy = create(space, 5);
      const history = runStudy(strategy, 5, 1, ev);
      const first = strategy.ask(history).params[0] as Params;
      const next = strategy.ask([
        ...history,
        { number: history.length, params: first, state: 'running' },
      ]).params;
      expect(next.map((p) => paramsKey(space, p))).not.toContain(paramsKey(space, first));
    },
  },
  {
    title: 'keeps going after failed and invalid trials without values',
    check(create, { space, evaluate: ev }) {
      const history: Trial[] = runStudy(create(space, 11), 3, 1, ev).map((t) => ({
        number: t.number,
        params: t.params,
        state: t.number % 2 === 0 ? 'failed' : 'invalid',
        failureReason: 'crash',
      }));
      const { params } = create(space, 11).ask(history, { count: 2 });
      expect(params).toHaveLength(2);
      for (const p of params) expect(isInSpace(space, p)).toBe(true);
    },
  },
];

/** The shared contract suite on the contract space, plus exhaustion and option checks. */
export function strategyContract(name: string, create: StrategyFactory, rounds = 12): void {
  describe(`${name} strategy contract`, () => {
    for (const { title, check } of contractChecks)
      it(title, () => check(create, { space: contractSpace, evaluate, rounds }));

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
