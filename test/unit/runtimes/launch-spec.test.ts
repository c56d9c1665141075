import { describe, expect, it } from 'vitest';
import { containerCommand, serverArgs } from '../../../src/controllers/server-argv.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import { launchSpec } from '../../../src/runtimes/launch-spec.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';

function gpu(index: number, name = 'NVIDIA H100 80GB HBM3'): GpuInfo {
  return {
    index,
    uuid: `GPU-${index}`,
    name,
    memoryTotalMiB: 81_559,
    memoryUsedMiB: 0,
    memoryFreeMiB: 81_559,
    utilizationPct: 0,
    processes: [],
  };
}

const ids = { studyId: 'study-1', trialId: 'trial-3' };

describe('launchSpec', () => {
  it('vLLM local: vllm serve MODEL flags, CUDA_VISIBLE_DEVICES from the lease, token only as a secret', () => {
    const spec = launchSpec({ 'max-num-seqs': 64, 'parallel-preset': 'tp2' }, [gpu(2), gpu(5)], {
      runtime: 'vllm',
      model: 'Qwen/Qwen3-0.6B',
      hfToken: 'hf_abcdefghijklmnopqrstu',
      ...ids,
    });
    expect(spec.command).toBe('vllm');
    expect(spec.args).toEqual([
      'serve',
      'Qwen/Qwen3-0.6B',
      '--max-num-seqs',
      '64',
      '--tensor-parallel-size',
      '2',
    ]);
    expect(spec.env['CUDA_VISIBLE_DEVICES']).toBe('2,5');
    expect(spec.secretEnv).toEqual({ HF_TOKEN: 'hf_abcdefghijklmnopqrstu' });
    expect(JSON.stringify([spec.args, spec.env])).not.toContain('hf_');
    expect(spec.readiness).toMatchObject({ path: '/health', alsoPaths: ['/v1/models'] });
    expect(spec.entrypoint).toBeUndefined();
    expect(serverArgs(spec, '127.0.0.1', 41_000).slice(-4)).toEqual([
      '--host',
      '127.0.0.1',
      '--port',
      '41000',
    ]);
  });

  it('vLLM container: image, entrypoint, ipc host, model and HF cache volumes, no CUDA_VISIBLE_DEVICES', () => {
    const spec = launchSpec({}, [gpu(0)], {
      runtime: 'vllm',
      modelPath: '/srv/models/llama-8b/',
      hfCacheDir: '/srv/hf',
      target: 'container',
      ...ids,
    });
    expect(spec.image).toBe('vllm/vllm-openai:v0.22.0');
    expect(spec.ipcMode).toBe('host');
    expect(spec.env['CUDA_VISIBLE_DEVICES']).toBeUndefined();
    expect(spec.volumes).toEqual([
      { hostPath: '/srv/models/llama-8b', containerPath: '/models/llama-8b', readOnly: true },
      { hostPath: '/srv/hf', containerPath: '/root/.cache/huggingface' },
    ]);
    const { entrypoint, cmd, port } = containerCommand(spec);
    expect(entrypoint).toEqual(['vllm', 'serve']);
    expect(cmd).toEqual(['/models/llama-8b', '--host', '0.0.0.0', '--port', '8000']);
    expect(port).toBe(8000);
  });

  it('SGLang: python3 -m sglang.launch_server --model-path, metrics flag on request, shm for containers', () => {
    const spec = launchSpec({ 'max-running-requests': 32 }, [gpu(0)], {
      runtime: 'sglang',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      enableMetrics: true,
      servedModelName: 'llama',
      target: 'container',
      ...ids,
    });
    expect(spec.entrypoint).toEqual(['python3', '-m', 'sglang.launch_server']);
    expect(spec.args).toEqual([
      '--model-path',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--enable-metrics',
      '--max-running-requests',
      '32',
      '--served-model-name',
      'llama',
    ]);
    expect(spec.shmSizeBytes).toBe(32 * 1024 ** 3);
    expect(spec.containerPort).toBe(30_000);
  });

  it('llama.cpp: -m with a GGUF file mounted through its directory, CUDA image when GPUs are leased', () => {
    const spec = launchSpec({ parallel: 2, 'quant-preset': 'fp8-kv' }, [gpu(1)], {
      runtime: 'llamacpp',
      modelPath: '/data/gguf/tiny.gguf',
      target: 'container',
      ...ids,
    });
    expect(spec.args).toEqual([
      '-m',
      '/models/gguf/tiny.gguf',
      '--cache-type-k',
      'q8_0',
      '--cache-type-v',
      'q8_0',
      '--parallel',
      '2',
    ]);
    expect(spec.image).toBe('ghcr.io/ggml-org/llama.cpp:server-cuda');
    expect(spec.volumes).toEqual([{ hostPath: '/data/gguf', containerPath: '/models/gguf', readOnly: true }]);
    expect(spec.readiness.path).toBe('/health');
    const local = launchSpec({}, [], {
      runtime: 'llamacpp',
      modelPath: '/data/gguf/tiny.gguf',
      command: '/usr/bin/llama-server',
      extraArgs: ['--verbose'],
      ...ids,
    });
    expect([local.command, ...local.args]).toEqual([
      '/usr/bin/llama-server',
      '-m',
      '/data/gguf/tiny.gguf',
      '--verbose',
    ]);
    expect(local.image).toBe('ghcr.io/ggml-org/llama.cpp:server');
  });

  it('sim: executable, engine flavour, the leased GPU (the simulator finds its catalogue entry), seed and time scale', () => {
    const sim = getRuntime('sim', {
      engine: 'llamacpp',
      simExecutable: { command: '/usr/bin/node', args: ['/opt/sim.js'] },
    });
    const spec = launchSpec(
      { parallel: 4 },
      [gpu(0, 'NVIDIA GeForce RTX 4090'), gpu(1, 'NVIDIA GeForce RTX 4090')],
      {
        runtime: sim,
        model: 'llama-3.1-8b',
        sim: { seed: 3, timeScale: 50 },
        ...ids,
      },
    );
    expect(spec.command).toBe('/usr/bin/node');
    expect(spec.args).toEqual([
      '/opt/sim.js',
      '--engine',
      'llamacpp',
      '--model',
      'llama-3.1-8b',
      '--gpu',
      'NVIDIA GeForce RTX 4090',
      '--num-gpus',
      '2',
      '--parallel',
      '4',
      '--seed',
      '3',
      '--time-scale',
      '50',
    ]);
    const boxed = launchSpec({ seed: 9 }, [], {
      runtime: sim,
      model: 'm',
      target: 'container',
      sim: { seed: 3 },
      ...ids,
    });
    expect(boxed.entrypoint).toEqual(['inference-sim']);
    expect(boxed.image).toBe('inference-autotuner/sim:test');
    expect(boxed.args).toEqual(['--engine', 'llamacpp', '--model', 'm', '--seed', '9']);
  });

  it('refuses invalid parameters before anything launches', () => {
    expect(() =>
      launchSpec({ 'max-running-requests': 8 }, [], { runtime: 'vllm', model: 'm', ...ids }),
    ).toThrow(/SGLang flag/);
    expect(() => launchSpec({}, [], { runtime: 'vllm', ...ids })).toThrow(/model/);
  });
});

describe('metric names', () => {
  it.each([
    ['vllm', 'vllm:num_requests_running', undefined],
    ['sglang', 'sglang:num_running_reqs', '--enable-metrics'],
    ['llamacpp', 'llamacpp:requests_processing', '--metrics'],
  ] as const)('%s exports %s (enabled by %s)', (runtime, running, enableFlag) => {
    const { metrics } = getRuntime(runtime);
    expect(metrics.running).toBe(running);
    expect(metrics.enableFlag).toBe(enableFlag);
  });

  it("the simulator serves the imitated engine's gauges and counters without an enable flag", () => {
    const sim = getRuntime('sim', { engine: 'sglang', simExecutable: { command: 'node', args: [] } });
    expect(sim.metrics).toMatchObject({
      running: 'sglang:num_running_reqs',
      promptTokens: 'sglang:prompt_tokens_total',
      preemptions: 'sglang:num_retracted_requests_total',
    });
    expect(sim.metrics.enableFlag).toBeUndefined();
  });
});
