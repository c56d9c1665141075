import { describe, expect, it } from 'vitest';
import { BackfillQueue } from '../../../src/gpu/backfill-queue.js';

/** Serves requests of these sizes from `free` units, in rounds; returns what each round served. */
function serveRounds(sizes: number[], maxOvertakes: number, freeByRound: number[]) {
  const queue = new BackfillQueue<{ name: string; size: number }>(maxOvertakes);
  const items = sizes.map((size, i) => ({ name: `r${i}:${size}`, size }));
  for (const item of items) queue.push(item);
  const rounds = freeByRound.map((units) => {
    let free = units;
    const served: string[] = [];
    queue.serve((item) => {
      if (item.size > free) return false;
      free -= item.size;
      served.push(item.name);
      return true;
    });
    return served;
  });
  return { rounds, overtaken: items.map((item) => queue.overtakenCount(item)), left: queue.length };
}

describe('BackfillQueue', () => {
  it.each<[string, number[], number, number[], string[][], Array<number | undefined>]>([
    ['strict order at 0: nothing passes a blocked head', [4, 1], 0, [1], [[]], [0, 0]],
    ['a fitting later request passes a blocked head', [4, 1], 1, [1], [['r1:1']], [1, undefined]],
    [
      'the head fits: plain arrival order',
      [2, 1, 1],
      0,
      [4],
      [['r0:2', 'r1:1', 'r2:1']],
      [undefined, undefined, undefined],
    ],
    ['skips a request that does not fit either', [4, 2, 1], 5, [1], [['r2:1']], [1, 1, undefined]],
    [
      'passes several while under the bound',
      [4, 2, 1],
      Number.POSITIVE_INFINITY,
      [3],
      [['r1:2', 'r2:1']],
      [2, undefined, undefined],
    ],
    [
      'stops as soon as the head reaches its bound, in one round',
      [4, 1, 1],
      1,
      [2],
      [['r1:1']],
      [1, undefined, 0],
    ],
    [
      'the bound holds across rounds',
      [4, 1, 1, 1],
      2,
      [1, 1, 1],
      [['r1:1'], ['r2:1'], []],
      [2, undefined, undefined, 0],
    ],
    [
      'a request passed to its bound blocks those behind it',
      [4, 3, 1, 1],
      1,
      [3, 1],
      [['r1:3'], []],
      [1, undefined, 0, 0],
    ],
    [
      'a blocked head at its bound is served first once it fits',
      [4, 1, 1],
      1,
      [1, 4],
      [['r1:1'], ['r0:4']],
      [undefined, undefined, 0],
    ],
  ])('%s', (_name, sizes, maxOvertakes, free, served, overtaken) => {
    const result = serveRounds(sizes, maxOvertakes, free);
    expect(result.rounds).toStrictEqual(served);
    expect(result.overtaken).toStrictEqual(overtaken);
  });

  it('removes a waiting request once, and counts only waiting ones', () => {
    const queue = new BackfillQueue<string>(2);
    queue.push('a');
    queue.push('b');
    expect([queue.remove('a'), queue.remove('a'), queue.length]).toStrictEqual([true, false, 1]);
    expect([queue.overtakenCount('a'), queue.overtakenCount('b')]).toStrictEqual([undefined, 0]);
  });
});
