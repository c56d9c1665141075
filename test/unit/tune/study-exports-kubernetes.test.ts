// A study run on Kubernetes exports its winner as the study's pods ran: namespace, node selector, GPU product,
// affinity, tolerations, model cache, /dev/shm and the HF token Secret, valid for Kubernetes 1.33; and the study
// file's kubernetes controller takes those settings, refusing bad ones by name.
import { describe, expect, it } from 'vitest';
import { type TuneOptionsInput, tuneOptionsSchema } from '../../../src/tune/options-schema.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { studyExports } from '../../../src/tune/study-launch-spec.js';
import { validateManifest } from '../../support/fake-k8s-validate.js';

const controller = {
  kind: 'kubernetes' as const,
  namespace: 'llm-tuning',
  workload: 'deployment' as const,
  nodeSelector: { 'node-pool': 'inference' },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }],
      },
    },
  },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  hfTokenSecret: { name: 'hf-token', key: 'token' },
  gpuProduct: 'NVIDIA-H100-80GB-HBM3',
  modelCache: { claimName: 'hf-models' },
  shmSizeMiB: 16_384,
  serviceAccountName: 'engine',
  imagePullPolicy: 'IfNotPresent' as const,
  endpointMode: 'service' as const,
};

const options: TuneOptionsInput = {
  runtime: 'vllm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  image: 'vllm/vllm-openai:v0.11.0',
  controller,
  space: { 'max-num-seqs': [64, 128] },
};

describe('exports of a study run on Kubernetes', () => {
  it('keep the namespace, placement, volumes and secret references, and validate against Kubernetes 1.33', () => {
    const yaml = studyExports(resolveOptions(options), { 'tensor-parallel-size': 2 }, 2, {
      studyId: 's',
      trialId: 't',
    }).kubernetes;
    for (const text of [
      'namespace: llm-tuning',
      'node-pool: inference',
      'nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3',
      'key: zone',
      'effect: NoSchedule',
      'claimName: hf-models',
      'sizeLimit: 16384Mi',
      'name: hf-token',
      'serviceAccountName: engine',
      'imagePullPolicy: IfNotPresent',
      'nvidia.com/gpu: "2"',
    ])
      expect(yaml).toContain(text);
    const checks = validateManifest(yaml);
    expect(checks.map((c) => c.kind)).toEqual(['Deployment', 'Service']);
    expect(checks.flatMap((c) => c.problems)).toEqual([]);
    // The validator is not lenient: a misspelt field fails it.
    const misspelt = validateManifest(yaml.replace('serviceAccountName:', 'serviceAcountName:'));
    expect(misspelt.flatMap((c) => c.problems).join('\n')).toMatch(/serviceAcountName: unknown field/);
  });

  it('study files take the controller settings and name a bad one', () => {
    expect(tuneOptionsSchema.safeParse(options).success).toBe(true);
    const bad = tuneOptionsSchema.safeParse({
      ...options,
      controller: { ...controller, modelCache: { claimName: 'a', hostPath: '/b' }, endpointMode: 'tunnel' },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['controller.modelCache', 'controller.endpointMode']));
  });
});
