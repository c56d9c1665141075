import { describe, expect, it } from 'vitest';
import { ManualClock, sleepOn, systemClock } from '../../../src/util/clock.js';

describe('ManualClock', () => {
  it('ends sleeps only when advanced past them, earliest first', async () => {
    const clock = new ManualClock(100);
    const ended: string[] = [];
    const long = clock.sleep(1_000).then(() => ended.push('long'));
    const short = clock.sleep(10).then(() => ended.push('short'));
    expect(clock.pendingSleeps).toBe(2);
    clock.advance(9);
    await Promise.resolve();
    expect(ended).toEqual([]);
    clock.advance(2_000);
    await Promise.all([long, short]);
    expect(ended).toEqual(['short', 'long']);
    expect(clock.now()).toBe(2_109);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('rejects a sleep with the abort reason and forgets it', async () => {
    const clock = new ManualClock();
    const abort = new AbortController();
    const reason = new Error('stop');
    const sleeping = clock.sleep(1_000, abort.signal);
    abort.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(5, abort.signal)).rejects.toBe(reason);
  });

  it('ends a zero sleep at once', async () => {
    await expect(new ManualClock().sleep(0)).resolves.toBeUndefined();
  });
});

describe('sleepOn', () => {
  it('uses a real timer for a clock without sleep, and the system clock sleeps for real', async () => {
    const started = performance.now();
    await sleepOn({ now: () => 0, wallMs: () => 0 }, 20);
    await sleepOn(systemClock, 20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });
});
