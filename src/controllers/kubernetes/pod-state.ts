// Reads a pod's status the way a launcher cares about: still starting, running with an address, or finished for good.
import type { V1Pod } from '@kubernetes/client-node';
import { LaunchError } from '../../errors.js';

/** What a pod's status says about the server in it. */
export type PodState =
  | { kind: 'pending'; detail: string }
  | { kind: 'unschedulable'; podName: string; message: string; detail: string }
  | { kind: 'running'; podIP: string; podName: string; detail: string }
  | {
      kind: 'exited';
      exitCode: number | null;
      signal: string | null;
      previous: boolean;
      /** The kubelet's words, e.g. `OOMKilled`, `CrashLoopBackOff: back-off 10s restarting failed container`. */
      detail: string;
    }
  | { kind: 'failed'; error: LaunchError; detail: string };

// Waiting reasons that never resolve on their own within a start-up budget.
const FATAL_WAITING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** Interprets one pod; `undefined` pod means not created yet. */
export function podState(pod: V1Pod | undefined): PodState {
  if (!pod) return { kind: 'pending', detail: 'no pod yet' };
  const name = pod.metadata?.name ?? '?';
  const status = pod.status;
  const unschedulable = status?.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );
  // Capacity, not configuration: the scheduler's own message says what is missing where.
  if (unschedulable) {
    const message = unschedulable.message ?? 'no node fits';
    return {
      kind: 'unschedulable',
      podName: name,
      message,
      detail: `pod ${name} is unschedulable: ${message}`,
    };
  }
  const container = status?.containerStatuses?.[0];
  const waiting = container?.state?.waiting;
  const terminated = container?.state?.terminated;
  const last = container?.lastState?.terminated;
  if (terminated) {
    return {
      kind: 'exited',
      exitCode: terminated.exitCode,
      signal: terminated.signal ? String(terminated.signal) : null,
      previous: false,
      detail: `pod ${name}: container terminated: ${words(terminated.reason, terminated.message)} (exit code ${terminated.exitCode})`,
    };
  }
  if (last && (container?.restartCount ?? 0) > 0) {
    return {
      kind: 'exited',
      exitCode: last.exitCode,
      signal: null,
      previous: waiting !== undefined,
      detail: `pod ${name}: container restarted ${container?.restartCount} time(s) after ${words(last.reason, last.message)} (exit code ${last.exitCode})${waiting?.reason ? `; ${words(waiting.reason, waiting.message)}` : ''}`,
    };
  }
  if (waiting?.reason && FATAL_WAITING.has(waiting.reason)) {
    return fail(`pod ${name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`);
  }
  if (status?.phase === 'Failed' || status?.phase === 'Succeeded') {
    return {
      kind: 'exited',
      exitCode: status.phase === 'Succeeded' ? 0 : null,
      signal: null,
      previous: false,
      detail: `phase ${status.phase}`,
    };
  }
  if (status?.phase === 'Running' && status.podIP && container?.state?.running) {
    return {
      kind: 'running',
      podIP: status.podIP,
      podName: name,
      detail: `pod ${name} running at ${status.podIP}`,
    };
  }
  return {
    kind: 'pending',
    detail: `pod ${name} ${status?.phase ?? 'Pending'}${waiting?.reason ? ` (${waiting.reason})` : ''}`,
  };
}

function words(reason: string | undefined, message: string | undefined): string {
  return [reason ?? 'Error', message].filter(Boolean).join(': ');
}

function fail(message: string): PodState {
  return { kind: 'failed', error: new LaunchError(message), detail: message };
}
