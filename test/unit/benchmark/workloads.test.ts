import { describe, expect, it } from 'vitest';
import { jsonlWorkload, shareGptWorkload } from '../../../src/benchmark/dataset-workload.js';
import { SINGLE_TOKEN_WORDS, wordsForTokens } from '../../../src/benchmark/prompt-text.js';
import { sharedPrefixWorkload } from '../../../src/benchmark/shared-prefix-workload.js';
import { drawLength, type LengthSpec, syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { InvalidOptionError } from '../../../src/errors.js';
import { createRng } from '../../../src/util/rng.js';

const words = (text: string): string[] => text.split(' ');

describe('synthetic workloads', () => {
  it('builds prompts of exactly the intended token count from single-token words', () => {
    const w = syntheticWorkload({ inputTokens: 100, outputTokens: 7 });
    const r = w.request(3);
    // Default calibration: one BOS token plus one token per word.
    expect(words(r.prompt)).toHaveLength(99);
    expect(r.promptTokens).toBe(100);
    expect(r.maxTokens).toBe(7);
    expect(words(r.prompt).every((x) => SINGLE_TOKEN_WORDS.includes(x))).toBe(true);
  });

  it('honours a calibration (chat template overhead, two tokens per word)', () => {
    const w = syntheticWorkload({
      inputTokens: 110,
      outputTokens: 1,
      calibration: { overheadTokens: 10, tokensPerWord: 2 },
    });
    expect(words(w.request(0).prompt)).toHaveLength(50);
    expect(w.request(0).promptTokens).toBe(110);
  });

  it('is deterministic per index and seed, and varies across indices', () => {
    const a = syntheticWorkload({
      inputTokens: { kind: 'uniform', min: 10, max: 50 },
      outputTokens: 5,
      seed: 1,
    });
    const b = syntheticWorkload({
      inputTokens: { kind: 'uniform', min: 10, max: 50 },
      outputTokens: 5,
      seed: 1,
    });
    expect(b.request(17)).toEqual(a.request(17));
    expect(a.request(1).prompt).not.toBe(a.request(2).prompt);
  });

  it.each([
    [{ kind: 'uniform', min: 10, max: 20 } as LengthSpec, 10, 20, 15],
    [{ kind: 'normal', mean: 100, sd: 10 } as LengthSpec, 40, 160, 100],
    [{ kind: 'normal', mean: 5, sd: 50, min: 1, max: 8 } as LengthSpec, 1, 8, undefined],
    [{ kind: 'fixed', tokens: 12 } as LengthSpec, 12, 12, 12],
  ])('%o draws integers within bounds', (spec, min, max, mean) => {
    const rng = createRng(4);
    const draws = Array.from({ length: 4_000 }, () => drawLength(spec, rng));
    expect(draws.every((d) => Number.isInteger(d) && d >= min && d <= max)).toBe(true);
    if (mean !== undefined)
      expect(Math.abs(draws.reduce((a, b) => a + b, 0) / draws.length - mean)).toBeLessThan(1);
  });

  it.each([
    [{ inputTokens: 0, outputTokens: 1 }, 'workload.inputTokens'],
    [{ inputTokens: 5, outputTokens: { kind: 'uniform', min: 9, max: 3 } }, 'workload.outputTokens.max'],
    [{ inputTokens: { kind: 'zipf' }, outputTokens: 3 }, 'workload.inputTokens.kind'],
  ])('rejects %o naming %s', (options, option) => {
    expect(() => syntheticWorkload(options as never)).toThrow(InvalidOptionError);
    expect(() => syntheticWorkload(options as never)).toThrow(option);
  });

  it('never asks for fewer than one word', () => {
    expect(wordsForTokens(1, { overheadTokens: 5, tokensPerWord: 1 })).toBe(1);
  });
});

describe('shared-prefix workloads', () => {
  it('cycles N prefixes x M suffixes with exact lengths', () => {
    const w = sharedPrefixWorkload({
      prefixCount: 2,
      suffixesPerPrefix: 3,
      prefixTokens: 21,
      suffixTokens: 5,
      outputTokens: 4,
    });
    const prompts = Array.from({ length: 6 }, (_, i) => w.request(i).prompt);
    expect(new Set(prompts).size).toBe(6);
    const prefixOf = (p: string) => words(p).slice(0, 20).join(' ');
    expect(prefixOf(prompts[0] ?? '')).toBe(prefixOf(prompts[2] ?? ''));
    expect(prefixOf(prompts[0] ?? '')).not.toBe(prefixOf(prompts[1] ?? ''));
    expect(w.request(6).prompt).toBe(prompts[0]);
    expect(words(prompts[0] ?? '')).toHaveLength(25);
    expect(w.request(0).promptTokens).toBe(26);
  });
});

describe('dataset workloads', () => {
  it('reads JSONL prompts and output lengths, cycling through the lines', () => {
    const w = jsonlWorkload('{"prompt":"a b","output_tokens":5}\n\n{"prompt":"c","prompt_tokens":2}\n', {
      defaultOutputTokens: 9,
    });
    expect(w.request(0)).toEqual({ prompt: 'a b', promptTokens: undefined, maxTokens: 5 });
    expect(w.request(1)).toEqual({ prompt: 'c', promptTokens: 2, maxTokens: 9 });
    expect(w.request(2).prompt).toBe('a b');
  });

  it.each([
    ['{"prompt":1}', 'line 1.prompt'],
    ['not json', 'line 1'],
    ['', 'at least one usable entry'],
  ])('rejects JSONL %j naming %s', (text, fragment) => {
    expect(() => jsonlWorkload(text)).toThrow(fragment);
  });

  it('takes the first human turn of ShareGPT conversations and sizes the output from the reply', () => {
    const w = shareGptWorkload(
      [
        {
          conversations: [
            { from: 'human', value: 'hi' },
            { from: 'gpt', value: 'x'.repeat(40) },
          ],
        },
        {
          conversations: [
            { from: 'gpt', value: 'skip me' },
            { from: 'human', value: 'no' },
          ],
        },
        { conversations: [{ from: 'human', value: 'alone' }] },
      ],
      { maxOutputTokens: 8 },
    );
    expect(w.request(0)).toEqual({ prompt: 'hi', maxTokens: 8 });
    expect(w.request(1).prompt).toBe('hi');
  });
});

describe('loadDatasetWorkload', () => {
  it('reads .jsonl files as JSONL and other files as ShareGPT JSON', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadDatasetWorkload } = await import('../../../src/benchmark/dataset-workload.js');
    const dir = await mkdtemp(join(tmpdir(), 'dataset-'));
    try {
      await writeFile(join(dir, 'd.jsonl'), '{"prompt":"x y","max_tokens":3}\n');
      await writeFile(
        join(dir, 'd.json'),
        JSON.stringify([
          {
            conversations: [
              { from: 'human', value: 'q' },
              { from: 'gpt', value: 'abcdefgh' },
            ],
          },
        ]),
      );
      expect((await loadDatasetWorkload(join(dir, 'd.jsonl'))).request(0)).toMatchObject({
        prompt: 'x y',
        maxTokens: 3,
      });
      expect((await loadDatasetWorkload(join(dir, 'd.json'))).request(0)).toEqual({
        prompt: 'q',
        maxTokens: 2,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
