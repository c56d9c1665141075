// One set of signal handlers for every controller's cleanup. On SIGINT, SIGTERM or SIGHUP it runs each
// registered cleanup (the immediate ones first, then the asynchronous ones within a time budget) and then,
// when no other code listens for the signal, lets the signal take its default effect (terminate). Shared so
// that two controllers in one process do not each wait for the other to re-raise the signal.

/** What to do for one owner of live resources when the process is interrupted. */
export interface SignalCleanup {
  /** Runs at once, synchronously (e.g. send SIGTERM to process groups). */
  now?: () => void;
  /** Runs next; the signal's default action waits for it up to the budget (e.g. remove containers). */
  later?: () => Promise<void>;
  /**
   * Runs last, synchronously, only when the signal is about to terminate the process (no other code listens for
   * it): what must outlive the other cleanups but not the process (e.g. give back host-wide GPU leases).
   */
  last?: () => void;
}

/** Longest wait for the asynchronous cleanups before the signal's default action runs anyway. */
export const SIGNAL_CLEANUP_BUDGET_MS = 5_000;
const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const cleanups = new Map<string, SignalCleanup>();
let installed = false;
let handling = false;

function onSignal(signal: NodeJS.Signals): void {
  if (handling) return;
  handling = true;
  // Decided now: after the cleanups, another handler may own the signal's meaning (a graceful study stop).
  const alone = process.listenerCount(signal) === 1;
  const entries = [...cleanups.values()];
  for (const cleanup of entries) {
    try {
      cleanup.now?.();
    } catch {
      // One failing cleanup must not keep the others from running.
    }
  }
  const finish = (): void => {
    handling = false;
    if (alone) {
      uninstall();
      for (const cleanup of entries) {
        try {
          cleanup.last?.();
        } catch {
          // As above: the others still run.
        }
      }
      process.kill(process.pid, signal);
    }
  };
  const later = entries.flatMap((c) => (c.later ? [c.later().catch(() => undefined)] : []));
  if (later.length === 0) {
    finish();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SIGNAL_CLEANUP_BUDGET_MS);
    timer.unref();
  });
  void Promise.race([Promise.all(later), budget]).then(() => {
    clearTimeout(timer);
    finish();
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const signal of HANDLED_SIGNALS) process.off(signal, onSignal);
}

/** Registers (or replaces) the cleanup of `key`; the handlers are installed while any cleanup is registered. */
export function addSignalCleanup(key: string, cleanup: SignalCleanup): void {
  cleanups.set(key, cleanup);
  install();
}

/** Removes the cleanup of `key`; the handlers go when none remain. */
export function removeSignalCleanup(key: string): void {
  cleanups.delete(key);
  if (cleanups.size === 0) uninstall();
}

/** Whether the signal handlers are installed (for tests). */
export function signalCleanupInstalled(): boolean {
  return installed;
}
