// The labels every controller puts on what it starts, and the selectors cleanup uses to find them.
import { randomUUID } from 'node:crypto';
import { sanitizeLabelValue } from './names.js';
import { ownerHost } from './owner.js';

/** Label keys shared by Docker containers, Kubernetes objects and the local process registry. */
export const LABEL_KEYS = {
  managedBy: 'app.kubernetes.io/managed-by',
  study: 'inference-autotuner.io/study',
  trial: 'inference-autotuner.io/trial',
  run: 'inference-autotuner.io/run',
  runtime: 'inference-autotuner.io/runtime',
  /** Host name of the tuner process that started the resource (sanitised). */
  ownerHost: 'inference-autotuner.io/owner-host',
  /** Pid of the tuner process that started the resource, on `ownerHost`. */
  ownerPid: 'inference-autotuner.io/owner-pid',
} as const;

/** Value of the managed-by label. */
export const MANAGED_BY = 'inference-autotuner';

let processRunId: string | undefined;

/** Identifier of this tuner process (one per process), put on everything it starts. */
export function currentRunId(): string {
  processRunId ??= randomUUID().slice(0, 13);
  return processRunId;
}

/** The labels for one server: managed-by, study, trial, run, runtime, owner host and pid, plus caller extras (extras never override ours). */
export function serverLabels(ids: {
  studyId: string;
  trialId: string;
  runtime?: string;
  runId?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const labels: Record<string, string> = { ...(ids.extra ?? {}) };
  labels[LABEL_KEYS.managedBy] = MANAGED_BY;
  labels[LABEL_KEYS.study] = sanitizeLabelValue(ids.studyId);
  labels[LABEL_KEYS.trial] = sanitizeLabelValue(ids.trialId);
  labels[LABEL_KEYS.run] = sanitizeLabelValue(ids.runId ?? currentRunId());
  if (ids.runtime) labels[LABEL_KEYS.runtime] = sanitizeLabelValue(ids.runtime);
  labels[LABEL_KEYS.ownerHost] = ownerHost();
  labels[LABEL_KEYS.ownerPid] = String(process.pid);
  return labels;
}

/** Label filters selecting what this library started, for one study or all of them. */
export function cleanupSelector(studyId?: string): Record<string, string> {
  const selector: Record<string, string> = { [LABEL_KEYS.managedBy]: MANAGED_BY };
  if (studyId !== undefined) selector[LABEL_KEYS.study] = sanitizeLabelValue(studyId);
  return selector;
}

/** Label filters selecting one study's resources started by tuner processes on this host (what `reap` examines). */
export function reapSelector(studyId: string): Record<string, string> {
  return { ...cleanupSelector(studyId), [LABEL_KEYS.ownerHost]: ownerHost() };
}

/** A selector rendered as a Kubernetes label selector string (`k=v,k2=v2`). */
export function toLabelSelector(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** A selector rendered as Docker `label` filters (`k=v` each). */
export function toDockerLabelFilters(selector: Record<string, string>): string[] {
  return Object.entries(selector).map(([key, value]) => `${key}=${value}`);
}
