// The Kubernetes API calls of the controller, each through the control-plane retry helper.
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  AppsV1Api,
  CoreV1Api,
  V1Deployment,
  V1Node,
  V1Pod,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';
import { type Clock, systemClock } from '../../util/clock.js';
import { redactText } from '../../util/redact.js';
import { controlPlaneStatus, retryControlPlane } from '../retry.js';

type Resource = 'pods' | 'deployments' | 'services' | 'secrets';
const ALL: readonly Resource[] = ['deployments', 'pods', 'services', 'secrets'];

/** Create, list, read logs and delete in one namespace, with retries of transient failures. */
export class KubeObjects {
  constructor(
    private readonly core: CoreV1Api,
    private readonly apps: AppsV1Api,
    readonly namespace: string,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Creates an object; an AlreadyExists answer (a retried create that had succeeded) counts as done. */
  async create(
    resource: Resource,
    body: V1Pod | V1Deployment | V1Service | V1Secret,
    signal?: AbortSignal,
  ): Promise<void> {
    const namespace = this.namespace;
    const name = body.metadata?.name ?? '?';
    await retryControlPlane(
      async () => {
        try {
          // Strict: a field the server does not know is an error, never silently dropped.
          const strict = { namespace, fieldValidation: 'Strict' };
          if (resource === 'pods') await this.core.createNamespacedPod({ ...strict, body: body as V1Pod });
          else if (resource === 'deployments')
            await this.apps.createNamespacedDeployment({ ...strict, body: body as V1Deployment });
          else if (resource === 'services')
            await this.core.createNamespacedService({ ...strict, body: body as V1Service });
          else await this.core.createNamespacedSecret({ ...strict, body: body as V1Secret });
        } catch (error) {
          if (controlPlaneStatus(error) !== 409) throw error;
        }
      },
      { plane: 'kubernetes', what: `create ${resource} ${namespace}/${name}`, signal },
    );
  }

  /** Every node of the cluster (cluster-scoped: needs `list nodes` from a ClusterRole). */
  listNodes(signal?: AbortSignal): Promise<V1Node[]> {
    return retryControlPlane(async () => (await this.core.listNode()).items, {
      plane: 'kubernetes',
      what: 'list nodes',
      maxAttempts: 3,
      ...(signal ? { signal } : {}),
    });
  }

  listPods(labelSelector: string): Promise<V1Pod[]> {
    return retryControlPlane(
      async () => (await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector })).items,
      { plane: 'kubernetes', what: `list pods ${labelSelector}`, maxAttempts: 2 },
    );
  }

  /** The last `tail` log lines of a pod (its previous container when asked), redacted; '' when unavailable. */
  async podLogs(name: string, tail: number, previous: boolean): Promise<string> {
    try {
      const text = await this.core.readNamespacedPodLog({
        name,
        namespace: this.namespace,
        tailLines: tail,
        previous,
      });
      return text
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => redactText(line))
        .join('\n');
    } catch {
      return '';
    }
  }

  /** Deletes one server's objects (404s ignored). */
  async deleteServer(
    name: string,
    workload: 'pod' | 'deployment',
    hasSecret: boolean,
    graceSeconds: number,
  ): Promise<void> {
    const targets: [Resource, string][] = [
      [workload === 'pod' ? 'pods' : 'deployments', name],
      ['services', name],
    ];
    if (hasSecret) targets.push(['secrets', `${name}-env`]);
    await Promise.all(
      targets.map(([resource, objectName]) => this.delete(resource, objectName, graceSeconds)),
    );
  }

  /** Deletes every object matching a label selector; returns `Kind namespace/name` of each. */
  async deleteSelected(labelSelector: string, graceSeconds: number, signal?: AbortSignal): Promise<string[]> {
    const removed: string[] = [];
    for (const resource of ALL) {
      signal?.throwIfAborted();
      for (const name of await this.names(resource, labelSelector, signal)) {
        await this.delete(resource, name, graceSeconds, signal);
        removed.push(`${resource} ${this.namespace}/${name}`);
      }
    }
    return removed.sort();
  }

  /** Objects matching a label selector, as `resource namespace/name`. */
  async listSelected(labelSelector: string): Promise<string[]> {
    const found: string[] = [];
    for (const resource of ALL) {
      for (const name of await this.names(resource, labelSelector))
        found.push(`${resource} ${this.namespace}/${name}`);
    }
    return found.sort();
  }

  /** Waits until no pod matches the selector (terminating pods included). */
  async waitPodsGone(labelSelector: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = this.clock.now() + timeoutMs;
    while (this.clock.now() < deadline) {
      if ((await this.listPods(labelSelector)).length === 0) return;
      await sleep(100, undefined, { signal });
    }
  }

  /** Label sets of every object (any kind) matching a label selector. */
  async labelsSelected(labelSelector: string, signal?: AbortSignal): Promise<Record<string, string>[]> {
    const found: Record<string, string>[] = [];
    for (const resource of ALL) {
      const list = await this.list(resource, labelSelector, signal);
      for (const item of list.items) found.push(item.metadata?.labels ?? {});
    }
    return found;
  }

  private async names(resource: Resource, labelSelector: string, signal?: AbortSignal): Promise<string[]> {
    const list = await this.list(resource, labelSelector, signal);
    return list.items.flatMap((item) => (item.metadata?.name ? [item.metadata.name] : []));
  }

  private list(
    resource: Resource,
    labelSelector: string,
    signal?: AbortSignal,
  ): Promise<{ items: { metadata?: { name?: string; labels?: Record<string, string> } }[] }> {
    const namespace = this.namespace;
    return retryControlPlane(
      async () => {
        if (resource === 'pods') return this.core.listNamespacedPod({ namespace, labelSelector });
        if (resource === 'deployments')
          return this.apps.listNamespacedDeployment({ namespace, labelSelector });
        if (resource === 'services') return this.core.listNamespacedService({ namespace, labelSelector });
        return this.core.listNamespacedSecret({ namespace, labelSelector });
      },
      { plane: 'kubernetes', what: `list ${resource} ${labelSelector}`, signal },
    );
  }

  private async delete(
    resource: Resource,
    name: string,
    graceSeconds: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const namespace = this.namespace;
    const params = { name, namespace, gracePeriodSeconds: graceSeconds, propagationPolicy: 'Background' };
    await retryControlPlane(
      async () => {
        try {
          if (resource === 'pods') await this.core.deleteNamespacedPod(params);
          else if (resource === 'deployments') await this.apps.deleteNamespacedDeployment(params);
          else if (resource === 'services') await this.core.deleteNamespacedService(params);
          else await this.core.deleteNamespacedSecret(params);
        } catch (error) {
          if (controlPlaneStatus(error) !== 404) throw error;
        }
      },
      { plane: 'kubernetes', what: `delete ${resource} ${namespace}/${name}`, signal },
    );
  }
}
