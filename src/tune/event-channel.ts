// A buffered multi-reader event stream: every iterator sees every event published after the channel was made.

/** Publishes events to any number of async iterators; `close()` ends them all. */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly history: T[] = [];
  private closed = false;
  private waiters: Array<() => void> = [];
  private readonly listeners: Array<(event: T) => void> = [];

  /** Publishes one event to every reader. */
  publish(event: T): void {
    if (this.closed) return;
    this.history.push(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener (a broken log destination) must not stop the publisher.
      }
    }
    this.wake();
  }

  /** Calls `listener` synchronously with every event published from now on. */
  subscribe(listener: (event: T) => void): void {
    this.listeners.push(listener);
  }

  /** Ends the stream; readers finish after draining what was published. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Every event published so far. */
  get events(): readonly T[] {
    return this.history;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let position = 0;
    for (;;) {
      while (position < this.history.length) {
        yield this.history[position++] as T;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
