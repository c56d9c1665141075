// BackfillQueue: waiting requests in arrival order, served first come first served with bounded backfilling.

/**
 * Requests waiting in arrival order. When the first cannot be served, a later one that can may go
 * ahead of it (backfilling), but each request may be overtaken at most `maxOvertakes` times: once
 * it has been, nothing more passes it. `maxOvertakes` 0 is strict first come, first served.
 */
export class BackfillQueue<T> {
  readonly #entries: Array<{ item: T; overtaken: number }> = [];

  constructor(readonly maxOvertakes: number) {}

  /** Number of waiting requests. */
  get length(): number {
    return this.#entries.length;
  }

  /** Appends a request at the back. */
  push(item: T): void {
    this.#entries.push({ item, overtaken: 0 });
  }

  /** Drops a request (aborted); returns false when it was not waiting. */
  remove(item: T): boolean {
    const at = this.#entries.findIndex((entry) => entry.item === item);
    if (at >= 0) this.#entries.splice(at, 1);
    return at >= 0;
  }

  /** Times a waiting request has been overtaken so far (undefined when it is not waiting). */
  overtakenCount(item: T): number | undefined {
    return this.#entries.find((entry) => entry.item === item)?.overtaken;
  }

  /**
   * Serves every request it may now: `tryServe(item)` serves it and returns true, or returns false
   * when it cannot be served yet. Requests are tried in arrival order; a request that cannot be
   * served blocks everything behind it once it has been overtaken `maxOvertakes` times. A served
   * request leaves the queue and counts one overtake against each earlier request still waiting.
   */
  serve(tryServe: (item: T) => boolean): void {
    for (let i = 0; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as { item: T; overtaken: number };
      if (tryServe(entry.item)) {
        this.#entries.splice(i, 1);
        for (let j = 0; j < i; j++) (this.#entries[j] as { overtaken: number }).overtaken++;
        // Fewer resources are free now and the passed requests may have reached their bound: start over.
        i = -1;
      } else if (entry.overtaken >= this.maxOvertakes) {
        return;
      }
    }
  }
}
