// Prefix-cache use by the scheduler: hits at admission, publishing computed prompt blocks, prefix-aware order.
import type { KvBlockPool } from './prefix-cache.js';
import type { SchedulerCounters, Sequence } from './scheduler.js';

/** Takes the cached leading blocks of a waiting sequence's prompt; they count as computed. */
export function attachPrefix(
  seq: Sequence,
  pool: KvBlockPool,
  blockSize: number,
  counters: SchedulerCounters,
): void {
  const hashes = seq.request.blockHashes;
  if (!hashes || seq.computed > 0) return;
  // At least one prompt token is always computed so the step can sample.
  const usable = Math.min(pool.matchPrefix(hashes), Math.floor((seq.request.promptTokens - 1) / blockSize));
  if (usable <= 0) return;
  const hits = hashes.slice(0, usable);
  pool.acquireShared(hits);
  seq.sharedHashes = hits;
  seq.computed = usable * blockSize;
  seq.cachedTokens = seq.computed;
  counters.prefixHitTokens += seq.computed;
}

/** Gives back the blocks `attachPrefix` took when the sequence could not be admitted after all. */
export function detachPrefix(seq: Sequence, pool: KvBlockPool, counters: SchedulerCounters): void {
  if (seq.sharedHashes.length === 0) return;
  counters.prefixHitTokens -= seq.cachedTokens;
  pool.release(0, seq.sharedHashes, true);
  seq.sharedHashes = [];
  seq.computed = 0;
  seq.cachedTokens = 0;
}

/** Makes the full prompt blocks a sequence computed itself shareable under their hashes. */
export function publishPrefix(seq: Sequence, pool: KvBlockPool, blockSize: number): void {
  const hashes = seq.request.blockHashes ?? [];
  const own = hashes.slice(seq.sharedHashes.length, Math.floor(seq.request.promptTokens / blockSize));
  const published = pool.publish(own.slice(0, seq.privateBlocks));
  seq.sharedHashes.push(...published);
  seq.privateBlocks -= published.length;
}

/** SGLang's `lpm` policy: arrived requests with the longest cached prefix go first. */
export function sortByCachedPrefix(waiting: Sequence[], pool: KvBlockPool, nowMs: number): void {
  const arrived = waiting.filter((seq) => seq.request.arrivalMs <= nowMs);
  if (arrived.length < 2) return;
  const hits = new Map(arrived.map((seq) => [seq, pool.matchPrefix(seq.request.blockHashes ?? [])]));
  arrived.sort((a, b) => (hits.get(b) ?? 0) - (hits.get(a) ?? 0));
  waiting.splice(0, arrived.length, ...arrived);
}
