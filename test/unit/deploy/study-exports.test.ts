// The exports of a study's configuration run on the target they name: the simulator's installed bin, no GPU
// request for CPU engines or the simulator, the image the study used or a placeholder that says so.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { IMAGE_PLACEHOLDER } from '../../../src/deploy/exports.js';
import { shellSplit } from '../../../src/deploy/shell-quote.js';
import { llamacppImage } from '../../../src/runtimes/adapters/llamacpp.js';
import { SIM_IMAGE } from '../../../src/runtimes/adapters/sim.js';
import { SIM_BIN, SIM_HOST_COMMAND } from '../../../src/runtimes/adapters/sim-executable.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';
import type { Params } from '../../../src/search/trial.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { studyExports } from '../../../src/tune/study-launch-spec.js';
import { validateObject } from '../../support/fake-k8s-validate.js';

type Obj = Record<string, unknown>;
const ids = { studyId: 'exports', trialId: 'trial-1' };

function exportsOf(input: Obj, params: Params = {}, worldSize = 1) {
  return studyExports(resolveOptions({ journal: '/tmp/unused.jsonl', ...input }), params, worldSize, ids);
}

// The first container of the Deployment, and every document's problems under the fake API server's rules.
function manifest(text: string): { container: Obj; problems: string[] } {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Obj);
  expect(docs.map((d) => d['kind'])).toEqual(['Deployment', 'Service']);
  const problems = docs.flatMap((d) => validateObject(String(d['kind']), d));
  const deployment = docs[0] as { spec: { template: { spec: { containers: Obj[] } } } };
  return { container: deployment.spec.template.spec.containers[0] as Obj, problems };
}

function composeService(text: string): Obj {
  return (parse(text) as { services: Record<string, Obj> }).services['llm-server'] as Obj;
}

// The `docker run` words, comment lines skipped the way a shell skips them.
const dockerWords = (line: string) => shellSplit(line);

const simLocal = { runtime: 'sim', model: 'llama-3.1-8b', sim: { gpu: 'a100-40gb' } };
const simDocker = { ...simLocal, controller: { kind: 'docker' } };

describe('exports of a simulated study', () => {
  it.each([
    ['run as processes', simLocal],
    ['run in containers', simDocker],
  ])('%s: the argv line runs the installed bin, no form requests a GPU', (_name, input) => {
    const out = exportsOf(input, { 'max-num-seqs': 64 }, 2);
    const argv = shellSplit(out.argv);
    expect(argv.slice(0, SIM_HOST_COMMAND.length)).toEqual([...SIM_HOST_COMMAND]);
    expect(argv.slice(SIM_HOST_COMMAND.length)).toEqual([
      '--engine',
      'vllm',
      '--model',
      'llama-3.1-8b',
      '--gpu',
      'a100-40gb',
      // The study's world size of virtual GPUs, told to the simulator rather than requested from Docker.
      '--num-gpus',
      '2',
      '--max-num-seqs',
      '64',
      '--seed',
      '0',
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
    ]);
    expect(out.argv).not.toContain(process.execPath);

    const docker = dockerWords(out.dockerRun);
    expect(docker).not.toContain('--gpus');
    expect(docker.slice(docker.indexOf('--entrypoint'), docker.indexOf('--entrypoint') + 2)).toEqual([
      '--entrypoint',
      SIM_BIN,
    ]);
    expect(docker).toContain('--num-gpus');
    expect(composeService(out.compose)['deploy']).toBeUndefined();
    const { container, problems } = manifest(out.kubernetes);
    expect(problems).toEqual([]);
    expect(container['resources']).toBeUndefined();
    expect(out.kubernetes).not.toContain('nvidia.com/gpu');
  });

  it('names the package bin the simulator argv runs', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin[SIM_BIN]).toBe('./dist/cli/inference-sim.js');
  });

  it('run in containers: every container form names the image the study used', () => {
    const out = exportsOf(simDocker);
    expect(dockerWords(out.dockerRun)).toContain(SIM_IMAGE);
    expect(composeService(out.compose)['image']).toBe(SIM_IMAGE);
    expect(manifest(out.kubernetes).container['image']).toBe(SIM_IMAGE);
    for (const text of [out.dockerRun, out.compose, out.kubernetes]) expect(text).not.toContain('<IMAGE>');
  });

  it('run as processes: a placeholder image, stated as one, never the locally built test image', () => {
    const out = exportsOf(simLocal);
    for (const text of [out.dockerRun, out.compose, out.kubernetes]) {
      expect(text).not.toContain(SIM_IMAGE);
      expect(text.split('\n')[0]).toMatch(
        /^# <IMAGE> is a placeholder: .*sim.*scripts\/images\/build-sim-image\.sh/,
      );
    }
    expect(dockerWords(out.dockerRun)).toContain(IMAGE_PLACEHOLDER);
    expect(composeService(out.compose)['image']).toBe(IMAGE_PLACEHOLDER);
    expect(manifest(out.kubernetes).container['image']).toBe(IMAGE_PLACEHOLDER);
    // The argv line needs no image.
    expect(out.argv).not.toContain('IMAGE');
  });

  it('an image from the options wins, with no placeholder', () => {
    const out = exportsOf({ ...simLocal, image: 'registry.example.com/team/sim:1.2' });
    expect(dockerWords(out.dockerRun)).toContain('registry.example.com/team/sim:1.2');
    expect(composeService(out.compose)['image']).toBe('registry.example.com/team/sim:1.2');
    expect(manifest(out.kubernetes).container['image']).toBe('registry.example.com/team/sim:1.2');
    expect(out.compose).not.toContain('placeholder');
  });
});

describe('exports of a GPU engine study', () => {
  const vllm = {
    runtime: 'vllm',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    hfToken: 'hf_exportcanary0123456789',
  };

  it.each([
    ['run as processes', {}],
    ['run in containers', { controller: { kind: 'docker' } }],
  ])('%s: requests its world size of GPUs everywhere, from the runtime image', (_name, extra) => {
    const out = exportsOf({ ...vllm, ...extra }, { 'tensor-parallel-size': 2 }, 2);
    const image = getRuntime('vllm').defaultImage;
    // On a host the engine sees its GPUs through CUDA_VISIBLE_DEVICES; the token is read from the environment.
    expect(out.argv).toMatch(
      /^CUDA_VISIBLE_DEVICES=0,1 HF_TOKEN="\$HF_TOKEN" vllm serve meta-llama\/Llama-3\.1-8B-Instruct --tensor-parallel-size 2 /,
    );
    const docker = dockerWords(out.dockerRun);
    expect(docker[docker.indexOf('--gpus') + 1]).toBe('"device=0,1"');
    expect(docker).toContain(image);
    expect(docker).toEqual(expect.arrayContaining(['--ipc', 'host', '-e', 'HF_TOKEN']));
    const devices = (
      composeService(out.compose)['deploy'] as { resources: { reservations: { devices: Obj[] } } }
    ).resources.reservations.devices;
    expect(devices).toEqual([{ driver: 'nvidia', device_ids: ['0', '1'], capabilities: ['gpu'] }]);
    const { container, problems } = manifest(out.kubernetes);
    expect(problems).toEqual([]);
    expect(container['image']).toBe(image);
    expect(container['resources']).toEqual({ limits: { 'nvidia.com/gpu': '2' } });
    for (const text of Object.values(out)) {
      expect(text).not.toContain('exportcanary');
      expect(text).not.toContain('<IMAGE>');
    }
  });

  it('a local binary leads the argv line; the container forms keep the image entrypoint', () => {
    const out = exportsOf({ ...vllm, binary: '/opt/venv/bin/vllm' });
    expect(out.argv).toContain(' /opt/venv/bin/vllm serve meta-llama/Llama-3.1-8B-Instruct ');
    expect(out.dockerRun).not.toContain('/opt/venv');
  });
});

describe('exports of a llama.cpp study', () => {
  const llama = { runtime: 'llamacpp', model: 'unused', modelPath: '/models/tiny.gguf' };

  it('on the CPU (world size 0): no GPU request, the CPU image, llama-server on the host', () => {
    const out = exportsOf(llama, { threads: 4 }, 0);
    expect(shellSplit(out.argv).slice(0, 3)).toEqual(['llama-server', '-m', '/models/tiny.gguf']);
    const docker = dockerWords(out.dockerRun);
    expect(docker).not.toContain('--gpus');
    expect(docker).toContain(llamacppImage(0));
    expect(docker).toEqual(expect.arrayContaining(['-v', '/models:/models/models:ro']));
    expect(composeService(out.compose)['deploy']).toBeUndefined();
    const { container, problems } = manifest(out.kubernetes);
    expect(problems).toEqual([]);
    expect(container['resources']).toBeUndefined();
    expect(container['image']).toBe(llamacppImage(0));
  });

  it('on GPUs: the CUDA image and a device request', () => {
    const out = exportsOf(llama, {}, 1);
    const docker = dockerWords(out.dockerRun);
    expect(docker[docker.indexOf('--gpus') + 1]).toBe('"device=0"');
    expect(docker).toContain(llamacppImage(1));
    expect(manifest(out.kubernetes).container['resources']).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
  });
});
