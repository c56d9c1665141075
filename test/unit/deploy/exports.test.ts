import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import { exportConfig } from '../../../src/deploy/exports.js';
import { shellJoin, shellQuote } from '../../../src/deploy/shell-quote.js';

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
