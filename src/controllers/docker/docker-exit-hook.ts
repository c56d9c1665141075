// Removes live containers when the tuner is interrupted (SIGINT, SIGTERM, SIGHUP), then lets the signal take effect
// (through the shared signal cleanup). A SIGKILLed tuner cannot do this: `DockerController.cleanup(studyId)`
// finds those containers by label.
import { addSignalCleanup, removeSignalCleanup } from '../signal-cleanup.js';

const live = new Set<string>();

/** Tracks a live container with the function that force-removes it. */
export function trackContainer(id: string, remove: () => Promise<void>): void {
  live.add(id);
  addSignalCleanup(`docker-container:${id}`, { later: remove });
}

/** Stops tracking a container (removed). */
export function untrackContainer(id: string): void {
  live.delete(id);
  removeSignalCleanup(`docker-container:${id}`);
}

/** Whether any container is tracked, so the signal cleanup is armed for it (for tests). */
export function dockerSignalHooksInstalled(): boolean {
  return live.size > 0;
}
