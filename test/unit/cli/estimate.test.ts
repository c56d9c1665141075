// `autotune estimate`: its inputs checked together, every problem at once.
import { describe, expect, it } from 'vitest';
import { estimateConfiguration, estimateRequest } from '../../../src/cli/commands/estimate.js';
import { OptionsError } from '../../../src/tune/options-error.js';

const base = {
  model: 'llama-3.1-8b',
  gpu: 'h100',
  engine: 'vllm' as const,
  inputTokens: '512',
  outputTokens: '128',
};

describe('estimateRequest', () => {
  it('types the numbers and the --set values of a sound input', () => {
    const request = estimateRequest({
      ...base,
      settings: ['max-num-seqs=64', 'enable-prefix-caching=true'],
      rate: '2.5',
    });
    expect(request).toMatchObject({
      params: { 'max-num-seqs': 64, 'enable-prefix-caching': true },
      inputTokens: 512,
      outputTokens: 128,
      ratePerS: 2.5,
    });
    expect(estimateConfiguration(request).ok).toBe(true);
  });

  it('reports every problem of an input at once, each at its option', () => {
    let error: unknown;
    try {
      estimateRequest({
        ...base,
        model: 'llama-3.1-8x',
        gpu: 'h10',
        settings: ['max-num-seqz=64', 'gpu-memory-utilization=2', 'oops'],
        inputTokens: '1.5',
        concurrency: '-3',
        rate: '2',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).message).toMatch(/^Invalid estimate options \(8 problems\)/);
    const problems = (error as OptionsError).problems.map((p) => [p.path, p.value]);
    expect(problems).toEqual([
      ['--input-tokens', '1.5'],
      ['--concurrency', '-3'],
      ['--concurrency', '-3'],
      ['--model', 'llama-3.1-8x'],
      ['--gpu', 'h10'],
      ['--set', 'oops'],
      ['--set max-num-seqz', 64],
      ['--set gpu-memory-utilization', 2],
    ]);
    expect((error as OptionsError).problems.find((p) => p.path === '--set max-num-seqz')?.expected).toMatch(
      /did you mean --max-num-seqs\?/,
    );
  });
});
