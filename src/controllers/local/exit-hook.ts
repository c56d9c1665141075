// Kills every live local server when the tuner exits: an exit hook plus a signal cleanup, installed while any
// server lives.
import { addSignalCleanup, removeSignalCleanup } from '../signal-cleanup.js';
import { signalGroup } from './proc.js';

const liveGroups = new Set<number>();
const CLEANUP_KEY = 'local-process-groups';
let installed = false;

function onExit(): void {
  // Nothing can be awaited here: kill outright.
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  addSignalCleanup(CLEANUP_KEY, {
    now: () => {
      for (const pgid of liveGroups) signalGroup(pgid, 'SIGTERM');
    },
  });
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  removeSignalCleanup(CLEANUP_KEY);
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
