// An in-process fake Kubernetes API server speaking the real REST paths for Pods, Services, Secrets, Deployments
// and Nodes, validating objects against the official OpenAPI schema, scheduling pods onto nodes with allocatable
// GPUs, with bound pods backed by real local processes.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig, V1PolicyRule as PolicyRule } from '@kubernetes/client-node';
import {
  type ForbiddenRule,
  fakeKubeConfig,
  forbiddenStatus,
  type InjectedFailure,
  invalidStatus,
  matchesSelector,
  statusObj,
  verbOf,
} from './fake-k8s-http.js';
import { type FakeImage, FakePods } from './fake-k8s-pods.js';
import { servePortForward } from './fake-k8s-portforward.js';
import { type FakeNode, FakeScheduler, type Placement } from './fake-k8s-scheduler.js';
import { unknownFields, validateObject } from './fake-k8s-validate.js';

type Obj = Record<string, unknown>;

const RESOURCES: Record<string, { kind: string; apiVersion: string }> = {
  pods: { kind: 'Pod', apiVersion: 'v1' },
  services: { kind: 'Service', apiVersion: 'v1' },
  secrets: { kind: 'Secret', apiVersion: 'v1' },
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
};

const ROUTE =
  /^\/(?:api\/v1|apis\/apps\/v1)\/namespaces\/([^/]+)\/(pods|services|secrets|deployments)(?:\/([^/]+))?(?:\/(log))?$/;

const NODE_ROUTE = /^\/api\/v1\/nodes(?:\/([^/]+))?$/;

/** Options of the fake API server. */
export interface FakeKubernetesOptions {
  /** Images the fake can "pull": each maps a container argv to a local process. */
  images: Record<string, FakeImage>;
  /** The cluster's nodes. @default one node `fake-node-1` with no GPUs */
  nodes?: FakeNode[];
  /** Extended resource name of the nodes' GPUs. @default 'nvidia.com/gpu' */
  gpuResource?: string;
  /** Namespaces that exist; creating in another answers 404 as the real API server does. @default any */
  namespaces?: string[];
}

/** The running fake: its URL, a KubeConfig pointing at it, and inspection helpers for tests. */
export class FakeKubernetes {
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly store = new Map<string, Obj>();
  private readonly failures: InjectedFailure[] = [];
  private readonly forbidden: ForbiddenRule[] = [];
  private rules: { rules: PolicyRule[]; user: string } | undefined;
  private readonly pods: FakePods;
  private readonly scheduler: FakeScheduler;
  private server?: http.Server;
  private portForward?: ReturnType<typeof servePortForward>;
  private resourceVersion = 1;
  url = '';

  constructor(private readonly options: FakeKubernetesOptions) {
    this.scheduler = new FakeScheduler(options.nodes ?? [{ name: 'fake-node-1' }], options.gpuResource);
    this.pods = new FakePods(
      options.images,
      this.scheduler,
      (ns, name) => this.store.get(`secrets/${ns}/${name}`),
      (pod) => this.store.delete(keyOf('pods', pod)),
    );
  }

  /** Every binding of a pod to a node so far (node, GPUs, devices, bound and released times). */
  get placements(): readonly Placement[] {
    return this.scheduler.placements;
  }

  /** The most GPUs each node ever had bound at once, from the placement log. */
  peakGpuUsage(): Record<string, number> {
    return this.scheduler.peakUsage();
  }

  /** Allocatable GPUs per node. */
  allocatableGpus(): Record<string, number> {
    return this.scheduler.allocatable();
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.portForward = servePortForward(this.server, (namespace, name) => {
      const status = this.store.get(`pods/${namespace}/${name}`)?.['status'] as Obj | undefined;
      return status?.['phase'] === 'Running' ? (status['podIP'] as string) : undefined;
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Port-forward tunnels opened so far. */
  portForwards(): number {
    return this.portForward?.tunnels() ?? 0;
  }

  async close(): Promise<void> {
    this.portForward?.close();
    this.pods.killAll();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A KubeConfig for @kubernetes/client-node pointing at this fake. */
  kubeConfig(): KubeConfig {
    return fakeKubeConfig(this.url);
  }

  /** Makes the next matching requests fail with `status`. */
  injectFailure(failure: InjectedFailure): void {
    this.failures.push({ ...failure });
  }

  /** Denies requests as RBAC would (until `allow`), with the API server's Status body and message. */
  forbid(rule: ForbiddenRule): void {
    this.forbidden.push(rule);
  }

  /** Lifts every denial of `forbid` and every restriction of `restrictTo`. */
  allow(): void {
    this.forbidden.length = 0;
    this.rules = undefined;
  }

  /** Allows only what RBAC `rules` grant (as a Role and ClusterRole bound to the caller would); 403 otherwise. */
  restrictTo(rules: PolicyRule[], user = 'system:serviceaccount:default:tuner'): void {
    this.rules = { rules, user };
  }

  private granted(resource: string, sub: string | undefined, verb: string): boolean {
    if (!this.rules) return true;
    const group = resource === 'deployments' ? 'apps' : '';
    const full = sub ? `${resource}/${sub}` : resource;
    return this.rules.rules.some(
      (rule) =>
        (rule.apiGroups ?? []).includes(group) &&
        (rule.resources ?? []).includes(full) &&
        (rule.verbs.includes(verb) || rule.verbs.includes('*')),
    );
  }

  /** Stored objects of one resource (e.g. `pods`), optionally in one namespace. */
  list(resource: string, namespace?: string): Obj[] {
    const prefix = `${resource}/${namespace ?? ''}`;
    return [...this.store.entries()].filter(([key]) => key.startsWith(prefix)).map(([, value]) => value);
  }

  /** Pids of pod processes still alive. */
  livePids(): number[] {
    return this.pods.livePids();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const send = (status: number, payload: unknown, type = 'application/json') => {
        this.requests.push({ method, path: url.pathname, status });
        res.writeHead(status, { 'content-type': type });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      const failure = this.failures.find(
        (f) => f.times > 0 && f.method === method && f.path.test(url.pathname),
      );
      if (failure) {
        failure.times -= 1;
        send(failure.status, statusObj(failure.status, 'InjectedFailure', 'injected by the test'));
        return;
      }
      const nodeMatch = NODE_ROUTE.exec(url.pathname);
      if (nodeMatch && method === 'GET' && !this.granted('nodes', undefined, verbOf(method, nodeMatch[1]))) {
        const rule = { namespace: '', resource: 'nodes', user: this.rules?.user ?? 'x' };
        const request = {
          namespace: '',
          resource: 'nodes',
          name: nodeMatch[1],
          sub: undefined,
          verb: 'list',
        };
        send(403, forbiddenStatus(rule, request));
        return;
      }
      if (nodeMatch && method === 'GET') {
        const nodes = this.scheduler.nodeObjects();
        if (!nodeMatch[1]) {
          send(200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: nodes });
          return;
        }
        const node = nodes.find((n) => (n['metadata'] as Obj)['name'] === nodeMatch[1]);
        if (node) send(200, node);
        else send(404, statusObj(404, 'NotFound', `nodes "${nodeMatch[1]}" not found`));
        return;
      }
      const match = ROUTE.exec(url.pathname);
      if (!match) {
        send(404, statusObj(404, 'NotFound', `no route ${url.pathname}`));
        return;
      }
      const [, namespace = '', resource = '', name, sub] = match;
      const verb = verbOf(method, name);
      const denial = this.forbidden.find(
        (rule) =>
          rule.namespace === namespace &&
          (rule.resource ?? 'pods') === resource &&
          (rule.verb === undefined || rule.verb === verb),
      );
      if (denial) {
        send(403, forbiddenStatus(denial, { namespace, resource, name, sub, verb }));
        return;
      }
      if (!this.granted(resource, sub, verb)) {
        const rule = { namespace, resource, user: this.rules?.user ?? 'x' };
        send(403, forbiddenStatus(rule, { namespace, resource, name, sub, verb }));
        return;
      }
      try {
        this.route(method, namespace, resource, name, sub, url.searchParams, body, send);
      } catch (error) {
        send(500, statusObj(500, 'InternalError', (error as Error).message));
      }
    });
  }

  private route(
    method: string,
    namespace: string,
    resource: string,
    name: string | undefined,
    sub: string | undefined,
    query: URLSearchParams,
    body: string,
    send: (status: number, payload: unknown, type?: string) => void,
  ): void {
    const meta = RESOURCES[resource] as { kind: string; apiVersion: string };
    const key = `${resource}/${namespace}/${name ?? ''}`;
    if (method === 'POST' && !name) {
      const object = JSON.parse(body || '{}') as Obj;
      const objName = String((object['metadata'] as Obj | undefined)?.['name'] ?? '');
      if (this.options.namespaces && !this.options.namespaces.includes(namespace)) {
        send(404, statusObj(404, 'NotFound', `namespaces "${namespace}" not found`));
        return;
      }
      // Strict field validation refuses unknown fields before anything else, as a decoding error (400).
      const unknown = unknownFields(meta.kind, object);
      if (unknown.length > 0 && query.get('fieldValidation') === 'Strict') {
        const fields = unknown.map((f) => `unknown field "${f}"`).join(', ');
        send(400, statusObj(400, 'BadRequest', `strict decoding error: ${fields}`));
        return;
      }
      const problems = validateObject(meta.kind, object).filter((p) => !p.endsWith(': unknown field'));
      if (problems.length > 0) {
        send(422, invalidStatus(meta.kind, objName, problems));
        return;
      }
      if (this.store.has(`${resource}/${namespace}/${objName}`)) {
        send(409, statusObj(409, 'AlreadyExists', `${resource} "${objName}" already exists`));
        return;
      }
      const stored = this.put(resource, namespace, object);
      if (resource === 'deployments') this.createDeploymentPod(stored);
      send(201, stored);
      return;
    }
    if (method === 'GET' && !name) {
      const selector = query.get('labelSelector') ?? '';
      const items = this.list(resource, `${namespace}/`).filter((o) => matchesSelector(o, selector));
      send(200, {
        kind: `${meta.kind}List`,
        apiVersion: meta.apiVersion,
        metadata: { resourceVersion: String(this.resourceVersion) },
        items,
      });
      return;
    }
    const object = this.store.get(key);
    if (!object) {
      send(404, statusObj(404, 'NotFound', `${resource} "${name}" not found`));
      return;
    }
    if (method === 'GET' && sub === 'log') {
      const lines = this.pods.logs(object, query.get('previous') === 'true');
      const tail = Number(query.get('tailLines') ?? lines.length);
      send(
        200,
        lines.slice(Math.max(0, lines.length - tail)).join('\n') + (lines.length ? '\n' : ''),
        'text/plain',
      );
      return;
    }
    if (method === 'GET') {
      send(200, object);
      return;
    }
    if (method === 'DELETE') {
      const grace = query.get('gracePeriodSeconds');
      this.remove(resource, object, grace === null ? undefined : Number(grace));
      send(200, object);
      return;
    }
    send(405, statusObj(405, 'MethodNotAllowed', `${method} not supported by the fake`));
  }

  private put(resource: string, namespace: string, object: Obj): Obj {
    const meta = RESOURCES[resource] as { kind: string; apiVersion: string };
    const metadata = object['metadata'] as Obj;
    Object.assign(metadata, {
      namespace,
      uid: randomUUID(),
      resourceVersion: String(++this.resourceVersion),
      creationTimestamp: new Date().toISOString(),
    });
    const stored: Obj = { ...object, kind: meta.kind, apiVersion: meta.apiVersion };
    this.store.set(keyOf(resource, stored), stored);
    if (resource === 'pods') this.pods.start(stored);
    if (resource === 'services') {
      (stored['spec'] as Obj)['clusterIP'] = `10.96.0.${this.resourceVersion % 250}`;
    }
    return stored;
  }

  private createDeploymentPod(deployment: Obj): void {
    const template = (deployment['spec'] as Obj)['template'] as Obj;
    const deploymentMeta = deployment['metadata'] as Obj;
    const hash = (deploymentMeta['uid'] as string).slice(0, 10);
    const pod: Obj = {
      metadata: {
        ...(template['metadata'] as Obj),
        name: `${String(deploymentMeta['name']).slice(0, 40)}-${hash}-${randomUUID().slice(0, 5)}`,
        labels: { ...((template['metadata'] as Obj)['labels'] as Obj), 'pod-template-hash': hash },
        ownerReferences: [{ kind: 'Deployment', name: deploymentMeta['name'], uid: deploymentMeta['uid'] }],
      },
      spec: structuredClone(template['spec']),
    };
    this.put('pods', deploymentMeta['namespace'] as string, pod);
  }

  private remove(resource: string, object: Obj, graceSeconds: number | undefined): void {
    if (resource === 'pods') {
      this.pods.delete(object, graceSeconds);
      return;
    }
    this.store.delete(keyOf(resource, object));
    if (resource === 'deployments') {
      const uid = (object['metadata'] as Obj)['uid'];
      for (const pod of this.list('pods')) {
        const owners = ((pod['metadata'] as Obj)['ownerReferences'] as Obj[] | undefined) ?? [];
        if (owners.some((o) => o['uid'] === uid)) this.pods.delete(pod, graceSeconds);
      }
    }
  }
}

function keyOf(resource: string, object: Obj): string {
  const metadata = object['metadata'] as Obj;
  return `${resource}/${String(metadata['namespace'])}/${String(metadata['name'])}`;
}

/** Starts a fake API server. */
export async function startFakeKubernetes(options: FakeKubernetesOptions): Promise<FakeKubernetes> {
  return new FakeKubernetes(options).start();
}

export type { ForbiddenRule, InjectedFailure };
export { fakeKubeConfig };
