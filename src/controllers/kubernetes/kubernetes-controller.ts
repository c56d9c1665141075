// Kubernetes controller: one Pod or Deployment plus a Service per engine server, labelled for cleanup.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod, type V1Toleration } from '@kubernetes/client-node';
import { toAutotunerError } from '../../errors.js';
import { type Clock, systemClock } from '../../util/clock.js';
import { defaultLogger, type Logger } from '../../util/logger.js';
import { CONTROLLER_TRAITS } from '../controller-traits.js';
import { cleanupSelector, LABEL_KEYS, reapSelector, serverLabels, toLabelSelector } from '../labels.js';
import { sanitizeName } from '../names.js';
import { ownerGone } from '../owner.js';
import { type ExitInfo, waitForReady } from '../readiness.js';
import { isTransientControlPlaneError } from '../retry.js';
import type { Controller, LaunchSpec, ServerHandle, SignalOptions } from '../types.js';
import { strategyFromSpec, type WaitStrategy } from '../wait-strategies.js';
import { type EndpointMode, insideCluster, openEndpoint, type PodEndpoint } from './endpoint.js';
import { KubeObjects } from './kube-objects.js';
import { validateKubernetesOptions } from './kubernetes-options.js';
import { buildManifests, SERVER_LABEL } from './manifests.js';
import { type PodState, podState } from './pod-state.js';

/** Options of the Kubernetes controller. */
export interface KubernetesControllerOptions {
  /** Cluster access. @default `loadFromDefault()` (KUBECONFIG, ~/.kube/config or in-cluster) */
  kubeConfig?: KubeConfig;
  /** Namespace of everything started. @default the context's namespace, else 'default' */
  namespace?: string;
  /** Run the engine as a bare Pod (fails fast, never restarted) or a one-replica Deployment. @default 'pod' */
  workload?: 'pod' | 'deployment';
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  /** Existing Secret with the Hugging Face token, e.g. `{ name: 'hf', key: 'token' }`. */
  hfTokenSecret?: { name: string; key: string };
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** How the tuner reaches the engine. @default 'service' inside a cluster, 'port-forward' outside */
  endpointMode?: EndpointMode;
  /** Address the engine binds to inside the pod (`$(POD_IP)` is expanded by Kubernetes). @default '0.0.0.0' */
  bindAddress?: string;
  /** GPU extended resource. @default 'nvidia.com/gpu' */
  gpuResource?: string;
  /** Pod termination grace period. @default 10 */
  stopGraceSeconds?: number;
  /** Pod status polling interval while starting. @default 250 */
  statusIntervalMs?: number;
  serviceAccountName?: string;
  /** First delay between HTTP readiness probes. @default 50 */
  readinessInitialIntervalMs?: number;
  /** Cap of the delay between readiness probes. @default 500 */
  readinessMaxIntervalMs?: number;
  logger?: Logger;
  /** Time source of start-up timings and readiness budgets. @default systemClock */
  clock?: Clock;
}

/** Starts engines on Kubernetes; see `KubernetesControllerOptions`. */
export class KubernetesController implements Controller {
  readonly kind = 'kubernetes' as const;
  readonly traits = CONTROLLER_TRAITS.kubernetes;
  private readonly kubeConfig: KubeConfig;
  private readonly core: CoreV1Api;
  private readonly objects: KubeObjects;
  private readonly namespace: string;
  private readonly logger: Logger;
  private readonly clock: Clock;

  /** Validates `options` at once: an `InvalidOptionsError` names every bad option and its value. */
  constructor(private readonly options: KubernetesControllerOptions = {}) {
    validateKubernetesOptions(options);
    this.clock = options.clock ?? systemClock;
    this.kubeConfig = options.kubeConfig ?? loadDefault();
    this.core = this.kubeConfig.makeApiClient(CoreV1Api);
    this.namespace =
      options.namespace ??
      this.kubeConfig.getContextObject(this.kubeConfig.getCurrentContext())?.namespace ??
      'default';
    this.objects = new KubeObjects(
      this.core,
      this.kubeConfig.makeApiClient(AppsV1Api),
      this.namespace,
      this.clock,
    );
    this.logger = options.logger ?? defaultLogger();
  }

  async launch(spec: LaunchSpec, options: SignalOptions = {}): Promise<ServerHandle> {
    const signal = options.signal;
    signal?.throwIfAborted();
    const startedMs = this.clock.now();
    const name = sanitizeName(`at-${spec.studyId}-${spec.trialId}-${randomUUID().slice(0, 6)}`, 'k8s');
    const labels = serverLabels({
      studyId: spec.studyId,
      trialId: spec.trialId,
      runtime: spec.runtime,
      extra: spec.labels,
    });
    const workload = this.options.workload ?? 'pod';
    const manifests = buildManifests(spec, name, labels, {
      namespace: this.namespace,
      workload,
      nodeSelector: this.options.nodeSelector,
      tolerations: this.options.tolerations,
      hfTokenSecret: this.options.hfTokenSecret,
      imagePullPolicy: this.options.imagePullPolicy,
      bindAddress: this.options.bindAddress ?? '0.0.0.0',
      gpuResource: this.options.gpuResource ?? 'nvidia.com/gpu',
      terminationGracePeriodSeconds: this.options.stopGraceSeconds ?? 10,
      serviceAccountName: this.options.serviceAccountName,
    });
    const selector = `${SERVER_LABEL}=${name}`;
    const watch = new PodWatch(this.objects, selector, this.options.statusIntervalMs ?? 250);
    let endpoint: PodEndpoint | undefined;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        watch.stop();
        await endpoint?.close();
        await this.objects.deleteServer(
          name,
          workload,
          manifests.secret !== undefined,
          this.options.stopGraceSeconds ?? 10,
        );
        await this.objects.waitPodsGone(selector, 60_000);
      })();
      return stopping;
    };
    const logs = async (tail = 100): Promise<string> => {
      const state = watch.state;
      const podName = watch.podName;
      if (!podName) return '';
      return this.objects.podLogs(podName, tail, state.kind === 'exited' && state.previous);
    };

    try {
      if (manifests.secret) await this.objects.create('secrets', manifests.secret, signal);
      await this.objects.create(workload === 'pod' ? 'pods' : 'deployments', manifests.workload, signal);
      await this.objects.create('services', manifests.service, signal);
      watch.start();
      const mode = this.options.endpointMode ?? (insideCluster() ? 'service' : 'port-forward');
      const http = strategyFromSpec(spec.readiness);
      const strategy: WaitStrategy = {
        description: `pod running, then ${http.description}`,
        check: async (context) => {
          const state = watch.state;
          if (state.kind !== 'running') return { ready: false, detail: state.detail };
          endpoint ??= await openEndpoint(mode, {
            kubeConfig: this.kubeConfig,
            namespace: this.namespace,
            podName: state.podName,
            podIP: state.podIP,
            serviceName: name,
            port: manifests.port,
          });
          return http.check({ ...context, baseUrl: endpoint.url });
        },
      };
      await waitForReady({
        strategy,
        baseUrl: '',
        exited: watch.ended,
        logs: () => logs(50),
        timeoutMs: spec.readiness.timeoutMs ?? 600_000,
        signal,
        initialIntervalMs: this.options.readinessInitialIntervalMs,
        maxIntervalMs: this.options.readinessMaxIntervalMs,
        clock: this.clock,
      });
    } catch (error) {
      await stop().catch((stopError: unknown) =>
        this.logger.warn({ err: stopError, name }, 'cleanup after failed launch'),
      );
      throw error;
    }
    const url = (endpoint as PodEndpoint).url;
    const startupMs = this.clock.now() - startedMs;
    this.logger.debug({ name, endpoint: url, startupMs }, 'kubernetes server ready');
    watch.slowDown();
    return {
      endpoint: url,
      startupMs,
      exited: watch.ended.then(({ exitCode, signal: s }) => ({ exitCode, signal: s })),
      logs: (o = {}) => logs(o.tail ?? 100),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }

  async cleanup(studyId?: string, options: SignalOptions = {}): Promise<string[]> {
    const selector = toLabelSelector(cleanupSelector(studyId));
    const removed = await this.objects.deleteSelected(
      selector,
      this.options.stopGraceSeconds ?? 10,
      options.signal,
    );
    await this.objects.waitPodsGone(selector, 60_000, options.signal);
    return removed;
  }

  /** Deletes the study's objects whose owning tuner process on this host is gone; returns what it removed. */
  async reap(studyId: string, options: SignalOptions = {}): Promise<string[]> {
    const selector = toLabelSelector(reapSelector(studyId));
    const labelSets = await this.objects.labelsSelected(selector, options.signal);
    const deadPids = new Set(
      labelSets
        .filter((labels) =>
          ownerGone({ host: labels[LABEL_KEYS.ownerHost], pid: labels[LABEL_KEYS.ownerPid] }),
        )
        .map((labels) => labels[LABEL_KEYS.ownerPid] as string),
    );
    const removed: string[] = [];
    for (const pid of deadPids) {
      const owned = `${selector},${LABEL_KEYS.ownerPid}=${pid}`;
      removed.push(
        ...(await this.objects.deleteSelected(owned, this.options.stopGraceSeconds ?? 10, options.signal)),
      );
      await this.objects.waitPodsGone(owned, 60_000, options.signal);
    }
    if (removed.length > 0) this.logger.info({ studyId, removed }, 'reaped objects of a dead run');
    return removed.sort();
  }

  /** Objects of this library still present (all, or one study's), as `cleanup` would report them. */
  async running(studyId?: string): Promise<string[]> {
    return this.objects.listSelected(toLabelSelector(cleanupSelector(studyId)));
  }
}

/** Polls the pod of one server; `ended` resolves once it exited or can never run. */
class PodWatch {
  state: PodState = { kind: 'pending', detail: 'not created yet' };
  podName: string | undefined;
  readonly ended: Promise<ExitInfo>;
  private resolveEnded!: (info: ExitInfo) => void;
  private readonly abort = new AbortController();

  constructor(
    private readonly objects: KubeObjects,
    private readonly selector: string,
    private intervalMs: number,
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
      if (state.kind === 'exited')
        return this.resolveEnded({ exitCode: state.exitCode, signal: state.signal });
      await sleep(this.intervalMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
    }
  }
}

function loadDefault(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}

/** Creates a Kubernetes controller. */
export function createKubernetesController(options: KubernetesControllerOptions = {}): KubernetesController {
  return new KubernetesController(options);
}
