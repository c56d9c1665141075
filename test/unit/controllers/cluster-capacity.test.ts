import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  clusterCapacityOf,
  largestNode,
  unfit,
} from '../../../src/controllers/kubernetes/cluster-capacity.js';
import type { PodTemplateOptions } from '../../../src/controllers/kubernetes/pod-template.js';
import { ClusterCapacityError, PoolCapacityError } from '../../../src/errors.js';

const node = (
  name: string,
  gpus: number,
  extra: Partial<V1Node> & { labels?: Record<string, string> } = {},
): V1Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
  spec: extra.spec ?? {},
  status: {
    allocatable: { cpu: '64', 'nvidia.com/gpu': String(gpus) },
    conditions: [{ type: 'Ready', status: 'True' }],
    ...extra.status,
  },
});

const nodes: V1Node[] = [
  node('a100-1', 8, { labels: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', pool: 'gpu' } }),
  node('h100-1', 4, { labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3', pool: 'gpu' } }),
  node('h100-2', 4, {
    labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3', pool: 'gpu' },
    spec: { taints: [{ key: 'dedicated', value: 'training', effect: 'NoSchedule' }] },
  }),
  node('cpu-1', 0, { labels: { pool: 'cpu' } }),
  node('h100-3', 4, {
    labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
    spec: { unschedulable: true },
  }),
];

const base: PodTemplateOptions = { gpuResource: 'nvidia.com/gpu' };

describe('clusterCapacityOf', () => {
  it('lists allocatable GPUs and products per node and which nodes the pods may use', () => {
    const capacity = clusterCapacityOf(nodes, base);
    expect(capacity.resource).toBe('nvidia.com/gpu');
    expect(capacity.nodes.map((n) => [n.name, n.gpus, n.product, n.eligible])).toEqual([
      ['a100-1', 8, 'NVIDIA-A100-SXM4-80GB', true],
      ['h100-1', 4, 'NVIDIA-H100-80GB-HBM3', true],
      ['h100-2', 4, 'NVIDIA-H100-80GB-HBM3', false],
      ['cpu-1', 0, undefined, true],
      ['h100-3', 4, 'NVIDIA-H100-80GB-HBM3', false],
    ]);
    expect(capacity.nodes[2]?.ineligibleReason).toBe('untolerated taint {dedicated: training}');
    expect(capacity.nodes[4]?.ineligibleReason).toMatch(/cordoned/);
    expect(largestNode(capacity)?.name).toBe('a100-1');
  });

  it.each([
    ['a GPU product', { gpuProduct: 'NVIDIA-H100-80GB-HBM3' }, ['h100-1']],
    [
      'two products',
      { gpuProduct: ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-A100-SXM4-80GB'] },
      ['a100-1', 'h100-1'],
    ],
    [
      'a toleration and a node selector',
      { nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] },
      ['a100-1', 'h100-1', 'h100-2'],
    ],
    [
      'a required node affinity',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'pool', operator: 'NotIn', values: ['gpu'] }] },
              ],
            },
          },
        },
      },
      ['cpu-1'],
    ],
  ])('narrows eligible nodes by %s', (_name, options, eligible) => {
    const capacity = clusterCapacityOf(nodes, { ...base, ...options });
    expect(capacity.nodes.filter((n) => n.eligible).map((n) => n.name)).toEqual(eligible);
  });

  it('counts another vendor resource', () => {
    const amd = [{ ...node('mi300-1', 0), status: { allocatable: { 'amd.com/gpu': '8' } } }];
    expect(clusterCapacityOf(amd, { gpuResource: 'amd.com/gpu' }).nodes[0]?.gpus).toBe(8);
  });
});

describe('unfit', () => {
  const capacity = clusterCapacityOf(nodes, { ...base, gpuProduct: 'NVIDIA-H100-80GB-HBM3' });

  it('passes a request the largest eligible node holds', () => {
    expect(unfit(capacity, 4)).toBeUndefined();
  });

  it('names the largest node a request exceeds, as a permanent capacity error', () => {
    const error = unfit(capacity, 8);
    expect(error).toBeInstanceOf(ClusterCapacityError);
    expect(error).toBeInstanceOf(PoolCapacityError);
    expect(error).toMatchObject({
      code: 'ERR_CLUSTER_CAPACITY',
      requested: 8,
      capacity: 4,
      permanent: true,
      largestNode: 'h100-1',
      resource: 'nvidia.com/gpu',
    });
    expect(error?.message).toBe(
      'A server needing 8 nvidia.com/gpu cannot run on this cluster: the largest node its pods may use, h100-1, has 4',
    );
  });

  it('says when no node may run the pods at all', () => {
    const none = clusterCapacityOf(nodes, { ...base, gpuProduct: 'NVIDIA-B200' });
    expect(unfit(none, 1)?.message).toMatch(
      /no node its pods may use has any \(5 node\(s\) in the cluster\)/,
    );
  });
});
