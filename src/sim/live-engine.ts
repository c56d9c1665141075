// Drives the simulated engine in real time: simulated ms = elapsed real ms x time scale; one timer at a time.
import type { Clock } from '../util/clock.js';
import type { Sequence } from './scheduler.js';
import type { SimEngine } from './sim-engine.js';

/** Receives the tokens of one request, batched per timer tick. */
export interface TokenReceiver {
  /** `count` new tokens; `finished` on the last call. Times are simulated ms. */
  onTokens(count: number, finished: boolean, atMs: number): void;
}

/** A request to run in real time. */
export interface LiveRequest {
  promptTokens: number;
  outputTokens: number;
  blockHashes?: readonly number[];
}

/** Latencies of one finished request in simulated ms, for the metrics histograms. */
export interface FinishedRequest {
  ttftMs: number;
  e2eMs: number;
  outputTokens: number;
}

interface Pending {
  receiver: TokenReceiver;
  count: number;
  finished: boolean;
  atMs: number;
}

/** Maps real time onto an engine's simulated time and delivers tokens when their step ends. */
export class LiveEngine {
  private readonly startMs: number;
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private nextId = 1;
  private stopped = false;
  private readonly receivers = new Map<
    number,
    { receiver: TokenReceiver; arrivalMs: number; firstMs?: number }
  >();
  private readonly pending = new Map<number, Pending>();
  private readonly tick = (): void => {
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
    this.pump();
  };

  constructor(
    readonly engine: SimEngine,
    private readonly clock: Clock,
    private readonly timeScale: number,
    private readonly onFinished: (request: FinishedRequest) => void = () => {},
  ) {
    this.startMs = clock.now();
  }

  /** Current simulated time in ms. */
  nowMs(): number {
    return (this.clock.now() - this.startMs) * this.timeScale;
  }

  /** Queues a request arriving now; returns its id (for `cancel`). */
  submit(request: LiveRequest, receiver: TokenReceiver): number {
    const now = this.nowMs();
    this.engine.advance(now, this.sink);
    const id = this.nextId++;
    this.receivers.set(id, { receiver, arrivalMs: now });
    this.engine.submit({ id, arrivalMs: now, ...request });
    this.pump();
    return id;
  }

  /** Forgets a request whose client went away. */
  cancel(id: number): void {
    if (!this.receivers.delete(id)) return;
    this.pending.delete(id);
    this.engine.cancel(id);
    this.pump();
  }

  /** Stops the timer; nothing is delivered afterwards. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly sink = (seq: Sequence, atMs: number, finished: boolean): void => {
    const id = seq.request.id;
    const entry = this.receivers.get(id);
    if (!entry) return;
    entry.firstMs ??= atMs;
    const pending = this.pending.get(id);
    if (pending) {
      pending.count++;
      pending.finished = finished;
      pending.atMs = atMs;
    } else this.pending.set(id, { receiver: entry.receiver, count: 1, finished, atMs });
    if (finished) {
      this.receivers.delete(id);
      this.onFinished({
        ttftMs: entry.firstMs - entry.arrivalMs,
        e2eMs: atMs - entry.arrivalMs,
        outputTokens: seq.generated,
      });
    }
  };

  private pump(): void {
    if (this.stopped) return;
    this.engine.advance(this.nowMs(), this.sink);
    if (this.pending.size > 0) {
      const batch = [...this.pending.values()];
      this.pending.clear();
      for (const { receiver, count, finished, atMs } of batch) receiver.onTokens(count, finished, atMs);
    }
    if (this.stopped) return;
    const next = this.engine.nextEventMs();
    if (next === undefined || next >= this.timerAtMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAtMs = next;
    this.timer = setTimeout(this.tick, Math.max(0, (next - this.nowMs()) / this.timeScale));
  }
}
