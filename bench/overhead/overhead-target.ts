// What the overhead benchmark needs from each controller: a controller (fast readiness or a fixed-interval
// poll like the original's) and a spec of a server that becomes ready a known time after start.
import type { Controller, LaunchSpec } from '../../src/controllers/types.js';

/** One controller under measurement. */
export interface OverheadTarget {
  name: string;
  /** Prepares shared resources (a fake API server, an image); returns a disposer. */
  setup(): Promise<() => Promise<void>>;
  /** A controller polling readiness from 50 ms with backoff, or every `fixedPollMs` when given. */
  controller(fixedPollMs?: number): Controller;
  /** A fixture server that prints `ready-at-ms=<epoch ms>` the moment it turns ready, `readyAfterMs` after start. */
  spec(readyAfterMs: number, run: number): LaunchSpec;
}
