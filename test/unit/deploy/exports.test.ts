import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import { exportConfig } from '../../../src/deploy/exports.js';
import { shellJoin, shellQuote } from '../../../src/deploy/shell-quote.js';
import { validateManifest } from '../../support/fake-k8s-validate.js';

type Obj = Record<string, unknown>;

const gpu = (index: number) => ({
  index,
  uuid: `GPU-${index}`,
  name: 'NVIDIA H100 80GB HBM3',
  memoryTotalMiB: 81_559,
  memoryUsedMiB: 0,
  memoryFreeMiB: 81_559,
  utilizationPct: 0,
  processes: [],
});

const spec: LaunchSpec = {
  runtime: 'vllm',
  command: 'vllm',
  args: [
    'serve',
    'meta-llama/Llama-3.1-8B-Instruct',
    '--max-num-seqs',
    '128',
    '--override-generation-config',
    '{"temperature": 0}',
  ],
  image: 'vllm/vllm-openai:v0.22.0',
  entrypoint: ['vllm'],
  env: { CUDA_VISIBLE_DEVICES: '0,1', VLLM_LOGGING_LEVEL: 'INFO' },
  secretEnv: { HF_TOKEN: 'hf_canarycanarycanary123' },
  portFlag: '--port',
  hostFlag: '--host',
  containerPort: 8000,
  readiness: { path: '/health' },
  gpus: [gpu(0), gpu(1)],
  shmSizeBytes: 2 * 2 ** 30,
  ipcMode: 'host',
  volumes: [{ hostPath: '/data/hf', containerPath: '/root/.cache/huggingface' }],
  studyId: 's',
  trialId: 't',
};

describe('exports', () => {
  const out = exportConfig({ ...spec, entrypoint: undefined }, { port: 9000 });
  const withEntrypoint = exportConfig(spec);

  it('never contains a secret value', () => {
    for (const text of [...Object.values(out), ...Object.values(withEntrypoint)]) {
      expect(text).not.toContain('canary');
    }
    expect(out.argv).toContain('HF_TOKEN="$HF_TOKEN"');
  });

  it('argv quotes JSON values and sets host and port', () => {
    expect(out.argv).toContain(`'{"temperature": 0}'`);
    expect(out.argv).toMatch(/--host 0\.0\.0\.0 --port 9000$/);
    expect(out.argv).toContain('CUDA_VISIBLE_DEVICES=0,1');
  });

  it('docker run requests the GPUs, shm, ipc and volume', () => {
    expect(out.dockerRun).toContain(`--gpus '"device=GPU-0,GPU-1"'`);
    expect(out.dockerRun).toContain('--ipc host');
    expect(out.dockerRun).toContain('--shm-size 2048m');
    expect(out.dockerRun).toContain('-v /data/hf:/root/.cache/huggingface');
    expect(out.dockerRun).toContain('-p 9000:8000');
    expect(out.dockerRun).not.toContain('CUDA_VISIBLE_DEVICES');
  });

  it('compose parses and reserves the GPUs', () => {
    const doc = parse(out.compose) as { services: Record<string, Record<string, unknown>> };
    const service = doc.services['llm-server'] as Record<string, unknown>;
    expect(service['image']).toBe('vllm/vllm-openai:v0.22.0');
    expect(service['command']).toContain('--max-num-seqs');
    expect(JSON.stringify(service['deploy'])).toContain('GPU-1');
    expect(service['environment']).toMatchObject({ HF_TOKEN: '$' + '{HF_TOKEN}' });
  });

  it('kubernetes manifest has a Deployment with GPU limits and a Service', () => {
    const docs = parseAllDocuments(withEntrypoint.kubernetes).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs.map((d) => d['kind'])).toEqual(['Deployment', 'Service']);
    const text = JSON.stringify(docs[0]);
    expect(text).toContain('"nvidia.com/gpu":"2"');
    expect(text).toContain('secretKeyRef');
    expect(text).toContain('"command":["vllm"]');
  });

  it('kubernetes manifests pass the Kubernetes schema, with and without an entrypoint or GPUs', () => {
    const cpu = exportConfig({ ...spec, gpus: [], ipcMode: undefined, shmSizeBytes: undefined });
    for (const text of [out.kubernetes, withEntrypoint.kubernetes, cpu.kubernetes]) {
      const checks = validateManifest(text);
      expect(checks.map((c) => c.kind)).toEqual(['Deployment', 'Service']);
      expect(checks.flatMap((c) => c.problems)).toEqual([]);
    }
  });

  it("kubernetes manifest keeps the study's namespace, placement, volumes and secret references", () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
        },
      },
    };
    const tolerations = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];
    const text = exportConfig(
      { ...spec, gpus: [], gpuCount: 4, node: 'trial-node' },
      {
        namespace: 'llm-tuning',
        kubernetes: {
          nodeSelector: { pool: 'gpu' },
          tolerations,
          affinity,
          gpuProduct: 'NVIDIA-H100-80GB-HBM3',
          modelCache: { claimName: 'models', subPath: 'hf' },
          shmSizeMiB: 8_192,
          hfTokenSecret: { name: 'hf', key: 'token' },
          imagePullPolicy: 'IfNotPresent',
          serviceAccountName: 'llm',
        },
      },
    ).kubernetes;
    expect(validateManifest(text).flatMap((c) => c.problems)).toEqual([]);
    const [deployment, service] = parseAllDocuments(text).map((d) => d.toJS() as Obj);
    const meta = (o: Obj | undefined) => o?.['metadata'] as Obj;
    expect(meta(deployment)['namespace']).toBe('llm-tuning');
    expect(meta(service)['namespace']).toBe('llm-tuning');
    const podSpec = (((deployment as Obj)['spec'] as Obj)['template'] as Obj)['spec'] as Obj;
    expect(podSpec['nodeSelector']).toEqual({
      pool: 'gpu',
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    });
    expect(podSpec['tolerations']).toEqual(tolerations);
    // The node a trial ran on is no part of the winner's deployment.
    expect(podSpec['affinity']).toEqual(affinity);
    expect(podSpec['serviceAccountName']).toBe('llm');
    expect(podSpec['volumes']).toEqual([
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '8192Mi' } },
      { name: 'model-cache', persistentVolumeClaim: { claimName: 'models', readOnly: true } },
      { name: 'vol-0', hostPath: { path: '/data/hf' } },
    ]);
    const container = (podSpec['containers'] as Obj[])[0] as Obj;
    expect(container['resources']).toEqual({ limits: { 'nvidia.com/gpu': '4' } });
    expect(container['imagePullPolicy']).toBe('IfNotPresent');
    expect(container['volumeMounts']).toContainEqual({
      name: 'model-cache',
      mountPath: '/models',
      readOnly: true,
      subPath: 'hf',
    });
    const env = container['env'] as Obj[];
    expect(env).toContainEqual({ name: 'HF_HOME', value: '/models' });
    expect(env.filter((e) => e['valueFrom'])).toEqual([
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
      { name: 'HUGGING_FACE_HUB_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
    ]);
  });

  it('a spec without an image gets a placeholder and a comment line saying what to put there', () => {
    const placeholder = exportConfig({ ...spec, image: undefined });
    const note =
      '# <IMAGE> is a placeholder: no published image is known for vllm; use an image that runs vllm';
    for (const text of [placeholder.dockerRun, placeholder.compose, placeholder.kubernetes]) {
      expect(text.split('\n')[0]).toContain(note);
    }
    expect(placeholder.dockerRun.split('\n')[1]).toMatch(/ --entrypoint vllm '<IMAGE>' serve /);
    expect(
      (parse(placeholder.compose) as { services: Record<string, Obj> }).services['llm-server'],
    ).toMatchObject({
      image: '<IMAGE>',
    });
    expect(placeholder.argv).toBe(withEntrypoint.argv);
  });

  it('a spec without GPUs requests none', () => {
    const cpu = exportConfig({ ...spec, gpus: [], ipcMode: undefined, shmSizeBytes: undefined });
    expect(cpu.dockerRun).not.toContain('--gpus');
    expect(cpu.compose).not.toContain('deploy');
    expect(cpu.kubernetes).not.toContain('nvidia.com/gpu');
  });

  it.each([
    ['plain', 'abc', 'abc'],
    ['empty', '', "''"],
    ['space', 'a b', "'a b'"],
    ['single quote', "it's", `'it'"'"'s'`],
    ['dollar', '$HOME', "'$HOME'"],
  ])('shellQuote %s', (_name, input, expected) => {
    expect(shellQuote(input)).toBe(expected);
  });

  it('shellJoin keeps words apart', () => {
    expect(shellJoin(['a', 'b c'])).toBe("a 'b c'");
  });
});
