// Kubernetes controller: one Pod or Deployment plus a Service per engine server, labelled for cleanup. Each pod
// requests its GPUs from the cluster's scheduler; the cluster's capacity is readable for a study's planning.

import { randomUUID } from 'node:crypto';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ClusterCapacityError } from '../../errors.js';
import { type Clock, systemClock } from '../../util/clock.js';
import { defaultLogger, type Logger } from '../../util/logger.js';
import { CONTROLLER_TRAITS } from '../controller-traits.js';
import { cleanupSelector, LABEL_KEYS, reapSelector, serverLabels, toLabelSelector } from '../labels.js';
import { sanitizeName } from '../names.js';
import { ownerGone } from '../owner.js';
import { waitForReady } from '../readiness.js';
import type { Controller, LaunchSpec, ServerHandle, SignalOptions } from '../types.js';
import { strategyFromSpec, type WaitStrategy } from '../wait-strategies.js';
import { type ClusterCapacity, clusterCapacityOf, largestNode } from './cluster-capacity.js';
import { insideCluster, openEndpoint, type PodEndpoint } from './endpoint.js';
import { KubeObjects } from './kube-objects.js';
import { type KubernetesControllerOptions, validateKubernetesOptions } from './kubernetes-options.js';
import { buildManifests, type ManifestOptions, SERVER_LABEL } from './manifests.js';
import type { PodState } from './pod-state.js';
import { gpuRequest, type PodTemplateOptions } from './pod-template.js';
import { PodWatch } from './pod-watch.js';

export type { KubernetesControllerOptions } from './kubernetes-options.js';

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
  private portForwardWarned = false;

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
    const manifests = buildManifests(spec, name, labels, this.manifestOptions(workload));
    const selector = `${SERVER_LABEL}=${name}`;
    const watch = new PodWatch(this.objects, selector, this.options.statusIntervalMs ?? 250, {
      logs: (podName, tail, previous) => this.objects.podLogs(podName, tail, previous),
      unschedulable: (state) => this.unschedulableError(state, gpuRequest(spec)),
      unschedulableGraceMs: this.options.unschedulableGraceMs ?? 0,
      now: () => this.clock.now(),
    });
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
      const mode = this.endpointMode();
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
    const via = this.endpointMode();
    this.logger.debug({ name, endpoint: url, via, startupMs }, 'kubernetes server ready');
    if (via === 'port-forward' && !this.portForwardWarned) {
      // Once per controller: every trial of the study measures the same way.
      this.portForwardWarned = true;
      this.logger.warn(
        { name },
        'measuring through a port-forward: every request crosses the API server, adding latency to TTFT and ITL and capping throughput; run the tuner inside the cluster for numbers close to the server',
      );
    }
    watch.slowDown();
    return {
      endpoint: url,
      via,
      startupMs,
      exited: watch.ended.then(({ exitCode, signal: s }) => ({ exitCode, signal: s })),
      logs: (o = {}) => logs(o.tail ?? 100),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }

  /**
   * Allocatable GPUs of every node with its GPU product label, and whether this controller's pods may run there
   * (node selector, affinity, GPU product, tolerations, cordon). Needs `list` on nodes (a ClusterRole).
   */
  async clusterCapacity(options: SignalOptions = {}): Promise<ClusterCapacity> {
    const nodes = await this.objects.listNodes(options.signal);
    return clusterCapacityOf(nodes, this.templateOptions());
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

  private endpointMode() {
    return this.options.endpointMode ?? (insideCluster() ? 'service' : 'port-forward');
  }

  private templateOptions(): PodTemplateOptions {
    const o = this.options;
    return {
      gpuResource: o.gpuResource ?? 'nvidia.com/gpu',
      nodeSelector: o.nodeSelector,
      affinity: o.affinity,
      tolerations: o.tolerations,
      gpuProduct: o.gpuProduct,
      gpuProductLabel: o.gpuProductLabel,
      modelCache: o.modelCache,
      shmSizeMiB: o.shmSizeMiB,
    };
  }

  private manifestOptions(workload: 'pod' | 'deployment'): ManifestOptions {
    return {
      ...this.templateOptions(),
      namespace: this.namespace,
      workload,
      hfTokenSecret: this.options.hfTokenSecret,
      imagePullPolicy: this.options.imagePullPolicy,
      bindAddress: this.options.bindAddress ?? '0.0.0.0',
      terminationGracePeriodSeconds: this.options.stopGraceSeconds ?? 10,
      serviceAccountName: this.options.serviceAccountName,
    };
  }

  // The scheduler's message, and whether any node could ever hold the request (when nodes may be read).
  private async unschedulableError(
    state: Extract<PodState, { kind: 'unschedulable' }>,
    requested: number,
  ): Promise<ClusterCapacityError> {
    const resource = this.options.gpuResource ?? 'nvidia.com/gpu';
    const capacity = await this.clusterCapacity().catch(() => undefined);
    const largest = capacity && largestNode(capacity);
    const permanent = capacity !== undefined && (largest?.gpus ?? 0) < requested;
    const sizes = largest
      ? ` (the largest node its pods may use, ${largest.name}, has ${largest.gpus} ${resource})`
      : '';
    return new ClusterCapacityError(
      `Pod ${state.podName} requesting ${requested} ${resource} cannot be scheduled${permanent ? ' on any node' : ' now'}: ${state.message}${sizes}`,
      {
        requested,
        capacity: capacity ? (largest?.gpus ?? 0) : Number.NaN,
        resource,
        permanent,
        ...(largest ? { largestNode: largest.name } : {}),
      },
    );
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
