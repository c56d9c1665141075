// KV usage from a llama-server slot list, on bodies shaped as Debian's b11669 answers /slots (fields trimmed).
import { describe, expect, it } from 'vitest';
import { type KvPool, kvUsageFromSlots } from '../../../src/benchmark/slots-kv-usage.js';

const idle = (id: number, nCtx: number) => ({ id, n_ctx: nCtx, speculative: false, is_processing: false });
const busy = (id: number, nCtx: number, tokens: number) => ({
  ...idle(id, nCtx),
  is_processing: true,
  id_task: 7,
  n_prompt_tokens: tokens,
  n_prompt_tokens_processed: 12,
  n_prompt_tokens_cache: 0,
});
// An idle slot that served a request keeps its last prompt for reuse: it holds no request.
const done = (id: number, nCtx: number, tokens: number) => ({
  ...busy(id, nCtx, tokens),
  is_processing: false,
});

describe('kvUsageFromSlots', () => {
  it.each<[string, unknown, KvPool, number | undefined]>([
    ['two idle slots of 512', [idle(0, 512), idle(1, 512)], 'split', 0],
    ['one slot holding 256 of 2 x 512', [busy(0, 512, 256), idle(1, 512)], 'split', 0.25],
    ['both slots full', [busy(0, 512, 512), busy(1, 512, 512)], 'split', 1],
    [
      'an idle slot keeping 311 tokens counts nothing',
      [done(0, 512, 311), busy(1, 512, 128)],
      'split',
      0.125,
    ],
    // A shared pool: each slot lists the whole pool as its n_ctx.
    ['a shared pool of 1024 with 256 + 256 held', [busy(0, 1024, 256), busy(1, 1024, 256)], 'shared', 0.5],
    ['not a list', { slots: [] }, 'split', undefined],
    ['an empty list', [], 'split', undefined],
    ['a slot without n_ctx', [{ id: 0, is_processing: true, n_prompt_tokens: 3 }], 'split', undefined],
    ['a slot with n_ctx 0', [idle(0, 0)], 'split', undefined],
    ['an error answer', { error: { code: 501 } }, 'split', undefined],
  ])('%s', (_name, body, pool, expected) => {
    expect(kvUsageFromSlots(body, pool)).toBe(expected);
  });
});
