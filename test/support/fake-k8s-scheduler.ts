// Nodes and scheduling of the fake Kubernetes cluster: allocatable GPUs per node, node selectors, required node
// affinity and taints as the default scheduler reads them, the real scheduler's Unschedulable message, and a log
// of every placement so a test can prove that no node was ever oversubscribed.
type Obj = Record<string, unknown>;

/** A node of the fake cluster. */
export interface FakeNode {
  name: string;
  /** Allocatable GPUs (of the fake's GPU resource). @default 0 */
  gpus?: number;
  /** @default { 'kubernetes.io/os': 'linux' } plus `kubernetes.io/hostname` */
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  /** Cordoned (`spec.unschedulable`). @default false */
  unschedulable?: boolean;
}

/** One binding of a pod to a node, and when its GPUs were given back (undefined while held). */
export interface Placement {
  namespace: string;
  pod: string;
  node: string;
  gpus: number;
  /** Device indices on the node, as a device plugin hands them out. */
  devices: number[];
  boundAtMs: number;
  releasedAtMs: number | undefined;
}

/** Where a pod went, or the scheduler's reason for leaving it Pending. */
export type ScheduleResult = { node: string; devices: number[] } | { unschedulable: string };

interface NodeState {
  node: FakeNode;
  labels: Record<string, string>;
  free: Set<number>;
}

/** The scheduler of the fake: first node (in order) where the pod fits. */
export class FakeScheduler {
  readonly placements: Placement[] = [];
  private readonly nodes: NodeState[];
  private readonly held = new Map<string, Placement>();

  constructor(
    nodes: FakeNode[],
    readonly gpuResource = 'nvidia.com/gpu',
  ) {
    this.nodes = nodes.map((node) => ({
      node,
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': node.name, ...node.labels },
      free: new Set(Array.from({ length: node.gpus ?? 0 }, (_, i) => i)),
    }));
  }

  /** Node objects as GET /api/v1/nodes returns them. */
  nodeObjects(): Obj[] {
    return this.nodes.map(({ node, labels }) => {
      const resources = {
        cpu: '64',
        memory: '512Gi',
        pods: '110',
        [this.gpuResource]: String(node.gpus ?? 0),
      };
      return {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: node.name, labels, uid: `node-${node.name}`, resourceVersion: '1' },
        spec: {
          ...(node.taints ? { taints: node.taints } : {}),
          ...(node.unschedulable ? { unschedulable: true } : {}),
        },
        status: {
          capacity: resources,
          allocatable: resources,
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
        },
      };
    });
  }

  /** GPUs a pod requests (its containers' limits of the GPU resource). */
  request(pod: Obj): number {
    const containers = (podSpec(pod)['containers'] as Obj[] | undefined) ?? [];
    return containers.reduce((sum, c) => {
      const resources = (c['resources'] as Obj | undefined) ?? {};
      const limits = (resources['limits'] as Obj | undefined) ?? {};
      const requests = (resources['requests'] as Obj | undefined) ?? {};
      return sum + Number(limits[this.gpuResource] ?? requests[this.gpuResource] ?? 0);
    }, 0);
  }

  /** Binds the pod to the first node it fits on, or says why none fits in the scheduler's words. */
  schedule(pod: Obj, nowMs: number): ScheduleResult {
    const gpus = this.request(pod);
    const reasons = new Map<string, number>();
    for (const state of this.nodes) {
      const reason = this.misfit(pod, state, gpus);
      if (reason) {
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        continue;
      }
      const devices = [...state.free].sort((a, b) => a - b).slice(0, gpus);
      for (const device of devices) state.free.delete(device);
      const meta = pod['metadata'] as Obj;
      const placement: Placement = {
        namespace: String(meta['namespace']),
        pod: String(meta['name']),
        node: state.node.name,
        gpus,
        devices,
        boundAtMs: nowMs,
        releasedAtMs: undefined,
      };
      this.placements.push(placement);
      this.held.set(String(meta['uid']), placement);
      return { node: state.node.name, devices };
    }
    // As kube-scheduler's FitError: "<count> <reason>" strings, sorted.
    const summary = [...reasons.entries()]
      .map(([reason, count]) => `${count} ${reason}`)
      .sort()
      .join(', ');
    const total = this.nodes.length;
    return {
      unschedulable: `0/${total} nodes are available: ${summary}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`,
    };
  }

  /** Gives back the GPUs of a pod (deleted or finished); harmless for a pod that holds none. */
  release(podUid: string, nowMs: number): boolean {
    const placement = this.held.get(podUid);
    if (!placement) return false;
    this.held.delete(podUid);
    placement.releasedAtMs = nowMs;
    const state = this.nodes.find((s) => s.node.name === placement.node);
    for (const device of placement.devices) state?.free.add(device);
    return true;
  }

  /** The most GPUs each node ever had bound at once, computed from the placement log alone. */
  peakUsage(): Record<string, number> {
    const events = this.placements.flatMap((p) => [
      { node: p.node, atMs: p.boundAtMs, delta: p.gpus },
      ...(p.releasedAtMs === undefined ? [] : [{ node: p.node, atMs: p.releasedAtMs, delta: -p.gpus }]),
    ]);
    // A release at the same instant as a bind came first (the bind saw the freed GPUs).
    events.sort((a, b) => a.atMs - b.atMs || a.delta - b.delta);
    const used: Record<string, number> = {};
    const peak: Record<string, number> = Object.fromEntries(this.nodes.map((s) => [s.node.name, 0]));
    for (const event of events) {
      used[event.node] = (used[event.node] ?? 0) + event.delta;
      peak[event.node] = Math.max(peak[event.node] ?? 0, used[event.node] ?? 0);
    }
    return peak;
  }

  /** Allocatable GPUs per node. */
  allocatable(): Record<string, number> {
    return Object.fromEntries(this.nodes.map((s) => [s.node.name, s.node.gpus ?? 0]));
  }

  private misfit(pod: Obj, state: NodeState, gpus: number): string | undefined {
    const spec = podSpec(pod);
    if (state.node.unschedulable) return 'node(s) were unschedulable';
    const selector = (spec['nodeSelector'] as Record<string, string> | undefined) ?? {};
    const selected = Object.entries(selector).every(([k, v]) => state.labels[k] === v);
    if (!selected || !affinityMatches(spec, state))
      return "node(s) didn't match Pod's node affinity/selector";
    const tolerations = (spec['tolerations'] as Obj[] | undefined) ?? [];
    const untolerated = (state.node.taints ?? []).find(
      (taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint)),
    );
    if (untolerated)
      return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? 'present'}}`;
    if (gpus > state.free.size) return `Insufficient ${this.gpuResource}`;
    return undefined;
  }
}

function podSpec(pod: Obj): Obj {
  return (pod['spec'] as Obj | undefined) ?? {};
}

function tolerates(toleration: Obj, taint: { key: string; value?: string; effect: string }): boolean {
  if (toleration['effect'] !== undefined && toleration['effect'] !== taint.effect) return false;
  if (toleration['key'] === undefined && toleration['operator'] === 'Exists') return true;
  if (toleration['key'] !== taint.key) return false;
  return toleration['operator'] === 'Exists' || (toleration['value'] ?? '') === (taint.value ?? '');
}

// requiredDuringSchedulingIgnoredDuringExecution: terms are ORed, expressions within a term ANDed.
function affinityMatches(spec: Obj, state: NodeState): boolean {
  const required = ((spec['affinity'] as Obj | undefined)?.['nodeAffinity'] as Obj | undefined)?.[
    'requiredDuringSchedulingIgnoredDuringExecution'
  ] as Obj | undefined;
  const terms = (required?.['nodeSelectorTerms'] as Obj[] | undefined) ?? [];
  if (terms.length === 0) return true;
  return terms.some((term) => {
    const labels = ((term['matchExpressions'] as Obj[] | undefined) ?? []).every((e) =>
      expressionMatches(e, state.labels),
    );
    const fields = ((term['matchFields'] as Obj[] | undefined) ?? []).every((e) =>
      expressionMatches(e, { 'metadata.name': state.node.name }),
    );
    return labels && fields;
  });
}

function expressionMatches(expression: Obj, labels: Record<string, string>): boolean {
  const value = labels[String(expression['key'])];
  const values = (expression['values'] as string[] | undefined) ?? [];
  switch (expression['operator']) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}
