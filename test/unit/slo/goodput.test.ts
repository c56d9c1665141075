import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { goodput, requestMeetsSlo } from '../../../src/slo/goodput.js';
import type { RequestLatency, SloSpec } from '../../../src/slo/types.js';

const slo: SloSpec = {
  terms: [
    { metric: 'ttft', stat: 'p99', maxMs: 200 },
    { metric: 'tpot', stat: 'p50', maxMs: 20 },
    { metric: 'e2e', stat: 'p90', maxMs: 2000 },
  ],
};
const good: RequestLatency = { ok: true, ttftMs: 150, tpotMs: 15, e2eMs: 1500, itlMs: [10, 20, 15] };

describe('requestMeetsSlo', () => {
  it.each<[string, RequestLatency, boolean]>([
    ['all within bounds', good, true],
    ['bounds are inclusive', { ...good, ttftMs: 200, tpotMs: 20, e2eMs: 2000 }, true],
    ['TTFT over', { ...good, ttftMs: 201 }, false],
    ['TPOT over', { ...good, tpotMs: 20.5 }, false],
    ['E2E over', { ...good, e2eMs: 2001 }, false],
    ['failed request', { ...good, ok: false }, false],
    ['missing TTFT', { ...good, ttftMs: undefined }, false],
    ['missing E2E', { ...good, e2eMs: undefined }, false],
    ['one-token output without TPOT', { ...good, tpotMs: undefined }, true],
  ])('%s', (_name, request, expected) => {
    expect(requestMeetsSlo(request, slo)).toBe(expected);
  });

  it.each<[string, 'mean' | 'p50' | 'p99', readonly number[] | undefined, boolean]>([
    ['mean gap within', 'mean', [10, 30, 20], true],
    ['mean gap over', 'mean', [30, 30, 20], false],
    ['p99 gap over although mean within', 'p99', [5, 5, 5, 45], false],
    ['p50 gap within although one gap is long', 'p50', [5, 5, 5, 45], true],
    ['no gaps (one chunk)', 'p99', [], true],
    ['gaps not recorded', 'p99', undefined, true],
  ])('ITL: %s', (_name, stat, itlMs, expected) => {
    const itlSlo: SloSpec = { terms: [{ metric: 'itl', stat, maxMs: 25 }] };
    expect(requestMeetsSlo({ ok: true, ttftMs: 1, e2eMs: 2, itlMs }, itlSlo)).toBe(expected);
  });

  it('several terms on one metric: the strictest decides', () => {
    const twoTerms: SloSpec = {
      terms: [
        { metric: 'ttft', stat: 'p50', maxMs: 100 },
        { metric: 'ttft', stat: 'p99', maxMs: 500 },
      ],
    };
    expect(requestMeetsSlo({ ok: true, ttftMs: 300, e2eMs: 400 }, twoTerms)).toBe(false);
    expect(requestMeetsSlo({ ok: true, ttftMs: 90, e2eMs: 400 }, twoTerms)).toBe(true);
  });

  it('an SLO without terms only rejects failures', () => {
    expect(requestMeetsSlo({ ok: true }, { terms: [] })).toBe(true);
    expect(requestMeetsSlo({ ok: false }, { terms: [] })).toBe(false);
  });
});

describe('goodput', () => {
  it('counts requests that met the SLO per second and the attainment; errors miss', () => {
    const requests: RequestLatency[] = [good, good, { ...good, ttftMs: 900 }, { ok: false }];
    expect(goodput(requests, slo, 2)).toEqual({ goodputRps: 1, attainment: 0.5, met: 2, total: 4 });
  });

  it('no requests: zero goodput and attainment', () => {
    expect(goodput([], slo, 10)).toEqual({ goodputRps: 0, attainment: 0, met: 0, total: 0 });
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects durationS = %f', (durationS) => {
    expect(() => goodput([good], slo, durationS)).toThrow(InvalidOptionError);
  });
});
