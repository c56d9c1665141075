// A bounded buffer of the last log lines of a server, redacted line by line as they arrive.
import { InvalidOptionError } from '../errors.js';
import { redactText } from '../util/redact.js';

/** Listener called with each complete, redacted log line. */
export type LogLineListener = (line: string) => void;

/** Keeps the last `capacityLines` lines of a stream (partial lines are joined across chunks). */
export class LogRing {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly listeners = new Set<LogLineListener>();
  /** Number of complete lines seen since creation (including those dropped from the ring). */
  totalLines = 0;

  /** @param capacityLines lines kept. @default 500 */
  constructor(readonly capacityLines = 500) {
    if (!Number.isInteger(capacityLines) || capacityLines < 1) {
      throw new InvalidOptionError('capacityLines', capacityLines, 'a positive integer');
    }
  }

  /** Appends a chunk of output; complete lines are redacted, stored and passed to listeners. */
  push(chunk: string | Uint8Array): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    // A runaway line without a newline must not grow without bound.
    if (this.partial.length > 64_000) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const raw of parts) this.add(raw);
  }

  /** Flushes a trailing partial line (call when the stream ends). */
  end(): void {
    if (this.partial) {
      const last = this.partial;
      this.partial = '';
      this.add(last);
    }
  }

  /** The last `n` lines (all kept lines when `n` is undefined), joined by newlines; includes a pending partial line. */
  tail(n?: number): string {
    const pending = this.partial ? [redactText(this.partial)] : [];
    const all = [...this.lines, ...pending];
    const count = n === undefined ? all.length : Math.max(0, Math.floor(n));
    return all.slice(all.length - Math.min(count, all.length)).join('\n');
  }

  /** Subscribes to complete lines; returns the unsubscribe function. */
  onLine(listener: LogLineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private add(raw: string): void {
    const line = redactText(raw);
    this.totalLines += 1;
    this.lines.push(line);
    if (this.lines.length > this.capacityLines) this.lines.shift();
    for (const listener of this.listeners) listener(line);
  }
}
