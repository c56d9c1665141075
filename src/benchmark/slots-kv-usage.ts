// KV-cache usage of a llama-server read from its `/slots` list, for builds whose /metrics page has no KV gauge.
// Fields as llama.cpp's tools/server/server-context.cpp (`server_slot::to_json`) writes them: `n_ctx` is the slot's
// context size, `is_processing` means the slot is not idle, and `n_prompt_tokens` is the size of the slot's token
// sequence in the cache (written once the slot has had a task). Checked against Debian's b11669 in the test image: a
// 12-token prompt 273 tokens into its generation listed 285, and 311 when done, as its log's `n_tokens = 311`.

/** Whether the slots share one KV pool (`--kv-unified`) or each owns its own `n_ctx` cells of it. */
export type KvPool = 'shared' | 'split';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Share (0..1) of the KV cache held by the slots processing a request. Each slot lists `n_ctx` (its context: its own
 * part of the cache, or with a shared pool the whole pool) and, once it has had a task, `n_prompt_tokens` (the tokens
 * of its sequence in the cache, prompt and generated so far). Idle slots keep their last prompt for reuse but hold
 * no request, so they are left out; the cache's size is the sum of the slots' `n_ctx`, or one slot's with a shared
 * pool. Undefined when the body is not such a list.
 */
export function kvUsageFromSlots(body: unknown, pool: KvPool): number | undefined {
  if (!Array.isArray(body) || body.length === 0) return undefined;
  let held = 0;
  let sizeSum = 0;
  let sizeMax = 0;
  for (const slot of body) {
    if (!isRecord(slot)) return undefined;
    const nCtx = slot['n_ctx'];
    if (typeof nCtx !== 'number' || !Number.isFinite(nCtx) || nCtx <= 0) return undefined;
    sizeSum += nCtx;
    sizeMax = Math.max(sizeMax, nCtx);
    const tokens = slot['n_prompt_tokens'];
    if (slot['is_processing'] === true && typeof tokens === 'number' && Number.isFinite(tokens) && tokens > 0)
      held += tokens;
  }
  return held / (pool === 'shared' ? sizeMax : sizeSum);
}
