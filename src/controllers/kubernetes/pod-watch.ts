// Watches the pod of one server by polling: its state while starting, and the end of it (exit, crash loop, OOM
// kill, a pod the scheduler cannot place, an image that cannot be pulled) with the API's own words.
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import { ServerExitedError, toAutotunerError } from '../../errors.js';
import type { ExitInfo } from '../readiness.js';
import { isTransientControlPlaneError } from '../retry.js';
import type { KubeObjects } from './kube-objects.js';
import { type PodState, podState } from './pod-state.js';

/** What the watch asks its controller for when a pod ends. */
export interface PodWatchHooks {
  /** The pod's log tail (its previous container's when `previous`), redacted. */
  logs(podName: string, tail: number, previous: boolean): Promise<string>;
  /** The error of a pod the scheduler cannot place (a `ClusterCapacityError`). */
  unschedulable(state: Extract<PodState, { kind: 'unschedulable' }>): Promise<Error>;
  /** How long a pod may stay Unschedulable before that error (time for an autoscaler to add a node). */
  unschedulableGraceMs: number;
  /** Milliseconds now, on the controller's clock. */
  now(): number;
}

/** Polls the pod of one server; `ended` resolves once it exited or can never run. */
export class PodWatch {
  state: PodState = { kind: 'pending', detail: 'not created yet' };
  podName: string | undefined;
  readonly ended: Promise<ExitInfo>;
  private resolveEnded!: (info: ExitInfo) => void;
  private readonly abort = new AbortController();

  constructor(
    private readonly objects: KubeObjects,
    private readonly selector: string,
    private intervalMs: number,
    private readonly hooks: PodWatchHooks,
  ) {
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  start(): void {
    void this.loop();
  }

  slowDown(): void {
    this.intervalMs = Math.max(this.intervalMs, 2_000);
  }

  stop(): void {
    this.abort.abort();
    this.resolveEnded({ exitCode: null, signal: 'stopped' });
  }

  private async loop(): Promise<void> {
    let unschedulableSince: number | undefined;
    while (!this.abort.signal.aborted) {
      let pod: V1Pod | undefined;
      try {
        pod = (await this.objects.listPods(this.selector)).find((p) => !p.metadata?.deletionTimestamp);
      } catch (error) {
        // A transient failure is retried on the next tick; a permanent one (RBAC 403, 401, missing namespace)
        // never heals within the readiness budget, so the launch fails now with the API server's message.
        if (!isTransientControlPlaneError(error, 'kubernetes'))
          return this.resolveEnded({ exitCode: null, signal: null, error: toAutotunerError(error) });
      }
      if (pod) this.podName = pod.metadata?.name;
      if (pod || this.state.kind === 'pending') this.state = podState(pod);
      const state = this.state;
      if (state.kind === 'failed')
        return this.resolveEnded({ exitCode: null, signal: null, error: state.error });
      if (state.kind === 'unschedulable') {
        unschedulableSince ??= this.hooks.now();
        if (this.hooks.now() - unschedulableSince >= this.hooks.unschedulableGraceMs) {
          const error = await this.hooks.unschedulable(state);
          return this.resolveEnded({ exitCode: null, signal: null, error });
        }
      } else unschedulableSince = undefined;
      if (state.kind === 'exited') return this.resolveEnded(await this.exited(state));
      await sleep(this.intervalMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
    }
  }

  // The exit with the engine's log tail and, as its last line, what the kubelet says (OOMKilled, CrashLoopBackOff).
  private async exited(state: Extract<PodState, { kind: 'exited' }>): Promise<ExitInfo> {
    const tail = this.podName ? await this.hooks.logs(this.podName, 50, state.previous) : '';
    const logTail = [tail, `[kubernetes] ${state.detail}`].filter(Boolean).join('\n');
    return {
      exitCode: state.exitCode,
      signal: state.signal,
      error: new ServerExitedError(state.exitCode, logTail, state.signal),
    };
  }
}
