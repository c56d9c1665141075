// inference-sim command lines: engine flag spellings accepted, unknown flags rejected like each engine.
import { describe, expect, it } from 'vitest';
import { parseSimArgs } from '../../../src/sim/sim-args.js';

function config(argv: string[]) {
  const parsed = parseSimArgs(argv);
  if ('exitCode' in parsed) throw new Error(parsed.message);
  return parsed;
}

describe('parseSimArgs', () => {
  it.each([
    [['--tensor-parallel-size', '2', '--num-gpus', '2'], { tensorParallel: 2, worldSize: 2, numGpus: 2 }],
    [['-tp', '4', '-pp', '2'], { tensorParallel: 4, pipelineParallel: 2, worldSize: 8 }],
    [['--max-num-seqs', '64', '--max-num-batched-tokens', '4k'], { maxNumSeqs: 64, maxBatchedTokens: 4000 }],
    [['--max_num_seqs=32', '--max-model-len=8K'], { maxNumSeqs: 32, maxModelLen: 8192 }],
    [
      ['--gpu-memory-utilization', '0.8', '--no-enable-prefix-caching'],
      { gpuMemoryUtilization: 0.8, prefixCaching: false },
    ],
    [['--enable-chunked-prefill', '--kv-cache-dtype', 'fp8'], { chunkedPrefill: true, kvBytesPerElement: 1 }],
    [
      ['--no-enable-chunked-prefill', '--quantization', 'awq'],
      { chunkedPrefill: false, weightFormat: 'int4' },
    ],
    [['-q', 'fp8', '--enforce-eager'], { weightFormat: 'fp8', cudaGraphs: false }],
    [
      ['serve', 'meta-llama/Llama-3.1-70B-Instruct', '-tp', '4'],
      { model: 'meta-llama/Llama-3.1-70B-Instruct', tensorParallel: 4 },
    ],
    [['--served-model-name', 'my-model', 'other', '--seed', '3'], { servedModelName: 'my-model', seed: 3 }],
    [['--compilation-config.mode', '3', '-O3', '--swap-space', '4'], {}],
    [
      ['--model', 'qwen2.5-7b', '--gpu', 'l40s', '--time-scale', '50', '--crash-after-requests', '5'],
      { model: 'qwen2.5-7b', gpu: 'l40s', timeScale: 50, crashAfterRequests: 5 },
    ],
  ])('vLLM flavour: %j', (argv, expected) => {
    expect(config(argv).config).toMatchObject(expected);
  });

  it.each([
    [['--tp-size', '2', '--num-gpus', '2'], { tensorParallel: 2 }],
    [
      ['--tensor-parallel-size', '2', '--dp-size', '2', '--num-gpus', '4'],
      { tensorParallel: 2, dataParallel: 2, worldSize: 4 },
    ],
    [
      ['--tp-size', '4', '--dp-size', '2', '--enable-dp-attention', '--num-gpus', '4'],
      { worldSize: 4, dataParallel: 1 },
    ],
    [
      ['--mem-fraction-static', '0.7', '--max-running-requests', '48'],
      { gpuMemoryUtilization: 0.7, maxNumSeqs: 48 },
    ],
    [
      ['--chunked-prefill-size', '4096', '--schedule-policy', 'lpm'],
      { maxBatchedTokens: 4096, chunkedPrefill: true, schedulePolicy: 'lpm' },
    ],
    [['--chunked-prefill-size', '-1'], { chunkedPrefill: false, maxBatchedTokens: 16384 }],
    [['--cuda-graph-max-bs', '32', '--disable-radix-cache'], { cudaGraphMaxBatch: 32, prefixCaching: false }],
    [
      ['--model-path', 'llama-3.1-8b', '--context-length', '4096', '--random-seed', '9'],
      { model: 'llama-3.1-8b', maxModelLen: 4096, seed: 9 },
    ],
  ])('SGLang flavour: %j', (argv, expected) => {
    expect(config(['--engine', 'sglang', ...argv]).config).toMatchObject({ engine: 'sglang', ...expected });
  });

  it.each([
    [['-np', '8', '-c', '16384'], { maxNumSeqs: 8, kvCapacityTokensOverride: 16384, maxModelLen: 2048 }],
    [['--parallel', '4', '--ctx-size', '8192', '--kv-unified'], { maxNumSeqs: 4, maxModelLen: 8192 }],
    [
      ['-t', '8', '-b', '1024', '-ub', '256', '-ctk', 'q8_0'],
      { maxBatchedTokens: 1024, kvBytesPerElement: 1 },
    ],
    [
      ['-m', 'llama-3.2-1b', '--alias', 'tiny', '-fa', 'on', '--no-cont-batching', '--metrics'],
      { model: 'llama-3.2-1b', servedModelName: 'tiny' },
    ],
    [['--num-gpus', '2', '--split-mode', 'row'], { tensorParallel: 2, worldSize: 2 }],
    [['--num-gpus', '2'], { pipelineParallel: 2, worldSize: 2 }],
  ])('llama.cpp flavour: %j', (argv, expected) => {
    expect(config(['--engine', 'llamacpp', ...argv]).config).toMatchObject({
      engine: 'llamacpp',
      ...expected,
    });
  });

  it('the last spelling of a flag wins, as with argparse', () => {
    expect(config(['-tp', '2', '--tensor-parallel-size', '4']).config).toMatchObject({ tensorParallel: 4 });
  });

  it.each([
    [['--port', '0', '--host', '0.0.0.0'], 0, '0.0.0.0'],
    [[], 8000, '127.0.0.1'],
    [['--engine', 'sglang'], 30000, '127.0.0.1'],
  ])('listen address of %j', (argv, port, host) => {
    expect(config(argv)).toMatchObject({ port, host });
  });

  it.each([
    [['--frobnicate'], 2, 'vllm serve: error: unrecognized arguments: --frobnicate'],
    [['--max-running-requests', '8'], 2, 'unrecognized arguments: --max-running-requests'],
    [
      ['--engine', 'sglang', '--max-num-seqs', '8'],
      2,
      'launch_server.py: error: unrecognized arguments: --max-num-seqs',
    ],
    [['--engine', 'llamacpp', '--max-num-seqs', '8'], 1, 'error: invalid argument: --max-num-seqs'],
    [['--max-num-seqs', 'many'], 2, "argument --max-num-seqs: invalid int value: 'many'"],
    [['--kv-cache-dtype', 'fp3'], 2, "argument --kv-cache-dtype: invalid choice: 'fp3'"],
    [['--max-num-seqs'], 2, 'argument --max-num-seqs: expected one argument'],
    [['--enable-prefix-caching=yes'], 2, 'ignored explicit argument'],
    [['--engine', 'tgi'], 2, "argument --engine: invalid choice: 'tgi'"],
    [['--model', 'gpt-5'], 1, 'unknown model "gpt-5"'],
    [['--gpu', 'tpu-v5'], 1, 'unknown GPU "tpu-v5"'],
    [['a', 'b'], 2, 'unrecognized arguments: b'],
  ])('rejects %j', (argv, exitCode, message) => {
    const parsed = parseSimArgs(argv);
    expect(parsed).toMatchObject({ exitCode });
    if ('exitCode' in parsed) expect(parsed.message).toContain(message);
  });
});
