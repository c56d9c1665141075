// Kills every live local server when the tuner exits: signal handlers and an exit hook, installed once,
// removed again when no servers remain.
import { signalGroup } from './proc.js';

const liveGroups = new Set<number>();
const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function onExit(): void {
  // Nothing can be awaited here: kill outright.
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

function onSignal(signal: NodeJS.Signals): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGTERM');
  // When nobody else handles the signal, keep its default meaning (terminate) after the children.
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  for (const signal of HANDLED_SIGNALS) process.off(signal, onSignal);
}

/** Tracks a live process group so it dies with the tuner. */
export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  install();
}

/** Stops tracking a group (stopped); removes the hooks when none remain. */
export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
  if (liveGroups.size === 0) uninstall();
}

/** Whether the exit hooks are currently installed (for tests). */
export function exitHooksInstalled(): boolean {
  return installed;
}
