// Whether a llama-server launch shares one KV pool between its slots, from its argv and LLAMA_ARG_* variables.
import { describe, expect, it } from 'vitest';
import { llamacppKvPool } from '../../../src/runtimes/llamacpp-kv-pool.js';

describe('llamacppKvPool', () => {
  it.each<[string, string[], Record<string, string>, 'shared' | 'split']>([
    ['slots left to the server (auto): shared', ['-m', 'x.gguf', '--ctx-size', '1024'], {}, 'shared'],
    ['--parallel -1 is auto too', ['--parallel', '-1'], {}, 'shared'],
    ['--parallel 4: split', ['--ctx-size', '1024', '--parallel', '4'], {}, 'split'],
    ['-np 2: split', ['-np', '2'], {}, 'split'],
    ['--parallel=3: split', ['--parallel=3'], {}, 'split'],
    ['--kv-unified with --parallel 2: shared', ['--kv-unified', '--parallel', '2'], {}, 'shared'],
    ['-kvu: shared', ['-np', '2', '-kvu'], {}, 'shared'],
    ['--no-kv-unified on auto slots: split', ['--no-kv-unified'], {}, 'split'],
    ['-no-kvu: split', ['-no-kvu'], {}, 'split'],
    ['LLAMA_ARG_N_PARALLEL=4: split', [], { LLAMA_ARG_N_PARALLEL: '4' }, 'split'],
    ['LLAMA_ARG_KV_UNIFIED=1: shared', ['--parallel', '4'], { LLAMA_ARG_KV_UNIFIED: '1' }, 'shared'],
    ['an argument wins over the variable', ['--no-kv-unified'], { LLAMA_ARG_KV_UNIFIED: 'true' }, 'split'],
  ])('%s', (_name, args, env, expected) => {
    expect(llamacppKvPool(args, env)).toBe(expected);
  });
});
