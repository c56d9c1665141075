// Removes live containers when the tuner is interrupted (SIGINT, SIGTERM, SIGHUP), then lets the signal take effect.
// A SIGKILLed tuner cannot do this: `DockerController.cleanup(studyId)` finds those containers by label.

/** Longest wait for removals before the signal's default action runs anyway. */
const SIGNAL_REMOVAL_BUDGET_MS = 5_000;
const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const live = new Map<string, () => Promise<void>>();
let installed = false;
let handling = false;

function onSignal(signal: NodeJS.Signals): void {
  if (handling) return;
  handling = true;
  // Decided now: after our removals, another handler may own the signal's meaning (a graceful study stop).
  const alone = process.listenerCount(signal) === 1;
  const removals = Promise.all([...live.values()].map((remove) => remove().catch(() => undefined)));
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SIGNAL_REMOVAL_BUDGET_MS);
    timer.unref();
  });
  void Promise.race([removals, budget]).then(() => {
    clearTimeout(timer);
    handling = false;
    if (alone) {
      uninstall();
      process.kill(process.pid, signal);
    }
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

/** Tracks a live container with the function that force-removes it. */
export function trackContainer(id: string, remove: () => Promise<void>): void {
  live.set(id, remove);
  install();
}

/** Stops tracking a container (removed); the signal handlers go when none remain. */
export function untrackContainer(id: string): void {
  live.delete(id);
  if (live.size === 0) uninstall();
}

/** Whether the signal handlers are installed (for tests). */
export function dockerSignalHooksInstalled(): boolean {
  return installed;
}
