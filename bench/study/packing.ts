// Bounds for packing trials of known widths (GPUs) and durations onto a fixed number of GPUs.

/** One trial to pack: GPUs it holds and for how long. */
export interface PackItem {
  gpus: number;
  durationMs: number;
}

/** Lower bound of any schedule's makespan: total GPU time over the GPU count, or the longest trial. */
export function areaBoundMs(items: readonly PackItem[], gpuCount: number): number {
  const area = items.reduce((sum, item) => sum + item.gpus * item.durationMs, 0);
  return Math.max(area / gpuCount, ...items.map((item) => item.durationMs));
}

/**
 * Makespan of an offline list schedule (widest, then longest first; each trial starts as soon as enough GPUs
 * are free, smaller ones may pass a waiting wider one): a good packing of the same trials, for comparison.
 */
export function listScheduleMs(items: readonly PackItem[], gpuCount: number): number {
  const order = [...items].sort((a, b) => b.gpus - a.gpus || b.durationMs - a.durationMs);
  const running: Array<{ endMs: number; gpus: number }> = [];
  let nowMs = 0;
  let free = gpuCount;
  let makespanMs = 0;
  while (order.length > 0) {
    const index = order.findIndex((item) => item.gpus <= free);
    if (index >= 0) {
      const [item] = order.splice(index, 1) as [PackItem];
      free -= item.gpus;
      running.push({ endMs: nowMs + item.durationMs, gpus: item.gpus });
      makespanMs = Math.max(makespanMs, nowMs + item.durationMs);
      continue;
    }
    running.sort((a, b) => a.endMs - b.endMs);
    const next = running.shift() as { endMs: number; gpus: number };
    nowMs = next.endMs;
    free += next.gpus;
  }
  return makespanMs;
}

/**
 * Makespan of the study loop's schedule for trials in the order they were asked: at most `maxInFlight` trials
 * asked and not finished; `fifo` serves waiting trials strictly in order (as GpuPool does), otherwise any
 * waiting trial that fits the free GPUs starts (backfilling, no reservation).
 */
export function loopScheduleMs(
  items: readonly PackItem[],
  gpuCount: number,
  maxInFlight: number,
  policy: 'fifo' | 'backfill',
): number {
  const waiting: PackItem[] = [];
  const running: Array<{ endMs: number; gpus: number }> = [];
  let next = 0;
  let nowMs = 0;
  let free = gpuCount;
  let makespanMs = 0;
  for (;;) {
    while (next < items.length && waiting.length + running.length < maxInFlight)
      waiting.push(items[next++] as PackItem);
    let started = false;
    for (let i = 0; i < waiting.length; i++) {
      const item = waiting[i] as PackItem;
      if (item.gpus <= free) {
        waiting.splice(i--, 1);
        free -= item.gpus;
        running.push({ endMs: nowMs + item.durationMs, gpus: item.gpus });
        makespanMs = Math.max(makespanMs, nowMs + item.durationMs);
        started = true;
      } else if (policy === 'fifo') break;
    }
    if (started) continue;
    if (running.length === 0) return makespanMs;
    running.sort((a, b) => a.endMs - b.endMs);
    const done = running.shift() as { endMs: number; gpus: number };
    nowMs = done.endMs;
    free += done.gpus;
  }
}
