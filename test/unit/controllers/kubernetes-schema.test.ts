// The schema check every manifest of the controller and of the exports goes through: the Kubernetes 1.33.0 OpenAPI
// schema (types, enums, required fields, unknown fields) plus the API server's own field rules.
import { describe, expect, it } from 'vitest';
import { buildManifests } from '../../../src/controllers/kubernetes/manifests.js';
import { unknownFields } from '../../../src/controllers/kubernetes/unknown-fields.js';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import {
  fieldPath,
  KUBERNETES_SCHEMA_VERSION,
  validateManifest,
  validateObject,
} from '../../support/fake-k8s-validate.js';

type Obj = Record<string, unknown>;

const spec: LaunchSpec = {
  runtime: 'sglang',
  command: 'python3',
  args: ['-m', 'sglang.launch_server', '--model-path', 'm', '--tp-size', '4'],
  image: 'lmsysorg/sglang:v0.5.5',
  env: {},
  portFlag: '--port',
  hostFlag: '--host',
  readiness: { path: '/health' },
  gpus: [],
  gpuCount: 4,
  shmSizeBytes: 32 * 2 ** 30,
  studyId: 's',
  trialId: '1',
};

function pod(): Obj {
  const out = buildManifests(
    spec,
    'at-s-1',
    {},
    {
      namespace: 'llm',
      workload: 'pod',
      bindAddress: '0.0.0.0',
      gpuResource: 'nvidia.com/gpu',
      terminationGracePeriodSeconds: 10,
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      modelCache: { claimName: 'models' },
    },
  );
  return structuredClone(out.workload) as Obj;
}

const container = (p: Obj) => ((p['spec'] as Obj)['containers'] as Obj[])[0] as Obj;

describe(`Kubernetes ${KUBERNETES_SCHEMA_VERSION} schema validation`, () => {
  it('accepts the controller pod of a tensor-parallel engine with a cache, shm and tolerations', () => {
    expect(validateObject('Pod', pod())).toEqual([]);
  });

  it.each([
    [
      'a misspelt pod field',
      (p: Obj) => Object.assign(p['spec'] as Obj, { nodeSelecter: { a: 'b' } }),
      'spec.nodeSelecter: unknown field',
    ],
    [
      'a misspelt toleration field',
      (p: Obj) =>
        Object.assign(((p['spec'] as Obj)['tolerations'] as Obj[])[0] as Obj, { efect: 'NoSchedule' }),
      'spec.tolerations[0].efect: unknown field',
    ],
    [
      'a misspelt resource block',
      (p: Obj) => Object.assign(container(p), { resource: { limits: { 'nvidia.com/gpu': '4' } } }),
      'spec.containers[0].resource: unknown field',
    ],
    [
      'an enum value the schema does not list',
      (p: Obj) => Object.assign(container(p), { imagePullPolicy: 'Sometimes' }),
      'spec.containers[0].imagePullPolicy: Unsupported value: supported values: "Always", "IfNotPresent", "Never"',
    ],
    [
      'a port given as text',
      (p: Obj) => Object.assign((container(p)['ports'] as Obj[])[0] as Obj, { containerPort: '8000' }),
      'spec.containers[0].ports[0].containerPort: Invalid value: must be integer',
    ],
    [
      'a claim without its name',
      (p: Obj) =>
        Object.assign(
          ((p['spec'] as Obj)['volumes'] as Obj[]).find((v) => v['name'] === 'model-cache') as Obj,
          { persistentVolumeClaim: { readOnly: true } },
        ),
      'spec.volumes[1].persistentVolumeClaim.claimName: Required value',
    ],
    [
      'a mount of a volume that does not exist',
      (p: Obj) => (container(p)['volumeMounts'] as Obj[]).push({ name: 'nope', mountPath: '/x' }),
      'spec.containers[0].volumeMounts[2].name: Not found: "nope"',
    ],
    [
      'a GPU request that differs from the limit',
      (p: Obj) => Object.assign(container(p)['resources'] as Obj, { requests: { 'nvidia.com/gpu': '2' } }),
      'spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: must be equal to nvidia.com/gpu limit',
    ],
  ])('refuses %s, naming the field', (_name, mutate, problem) => {
    const p = pod();
    mutate(p);
    expect(validateObject('Pod', p)).toContain(problem);
  });

  it('finds unknown fields through maps and lists, and reads JSON pointers as API field paths', () => {
    expect(
      unknownFields(
        {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpresions: [] }] },
          },
        },
        'V1Affinity',
      ),
    ).toEqual([
      'nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpresions',
    ]);
    expect(unknownFields({ metadata: { labels: { anything: 'x' } } }, 'V1Pod')).toEqual([]);
    expect(fieldPath('/spec/containers/0/resources/limits/nvidia.com~1gpu')).toBe(
      'spec.containers[0].resources.limits.nvidia.com/gpu',
    );
  });

  it('validates every document of a YAML manifest by its own kind', () => {
    const text = `# a comment line\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, protocal: TCP}]\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: tuner}\n`;
    expect(validateManifest(text)).toEqual([
      { kind: 'Service', name: 's', problems: ['spec.ports[0].protocal: unknown field'] },
      { kind: 'ServiceAccount', name: 'tuner', problems: [] },
    ]);
  });
});
