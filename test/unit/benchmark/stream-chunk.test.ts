import { describe, expect, it } from 'vitest';
import { readChunk } from '../../../src/benchmark/stream-chunk.js';

const completion = (text: unknown, finish: string | null = null) => ({
  choices: [{ index: 0, text, finish_reason: finish }],
});
const chat = (delta: Record<string, unknown>, finish: string | null = null) => ({
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('readChunk', () => {
  it.each([
    ['completions text', 'completions', completion(' hi'), undefined, true],
    ['completions empty text (partial UTF-8 byte token)', 'completions', completion(''), undefined, true],
    [
      'completions last token with finish reason',
      'completions',
      completion(' end', 'length'),
      undefined,
      true,
    ],
    ['completions bare finish marker', 'completions', completion('', 'stop'), undefined, false],
    ['completions without text', 'completions', { choices: [{ index: 0 }] }, undefined, false],
    [
      'usage-only chunk',
      'completions',
      { choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } },
      undefined,
      false,
    ],
    ['chat content', 'chat', chat({ content: 'x' }), undefined, true],
    ['chat empty content', 'chat', chat({ content: '' }), undefined, true],
    ['chat role announcement (vLLM)', 'chat', chat({ role: 'assistant', content: '' }), undefined, false],
    [
      'chat role announcement (llama-server)',
      'chat',
      chat({ role: 'assistant', content: null }),
      undefined,
      false,
    ],
    ['chat reasoning content', 'chat', chat({ reasoning_content: 'think' }), undefined, true],
    ['chat finish with empty delta', 'chat', chat({}, 'length'), undefined, false],
    [
      'continuous usage: count rose',
      'completions',
      { ...completion(''), usage: { completion_tokens: 3 } },
      2,
      true,
    ],
    [
      'continuous usage: count unchanged',
      'completions',
      { ...completion(''), usage: { completion_tokens: 2 } },
      2,
      false,
    ],
    [
      'final chunk with usage and no text',
      'chat',
      { ...chat({}, 'length'), usage: { completion_tokens: 9 } },
      undefined,
      false,
    ],
  ] as const)('%s', (_name, api, payload, previous, token) => {
    expect(readChunk(payload, api, previous).token).toBe(token);
  });

  it('reads usage counts, finish reasons and stream errors', () => {
    expect(
      readChunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } }, 'chat', undefined),
    ).toMatchObject({
      promptTokens: 3,
      completionTokens: 4,
    });
    expect(readChunk(completion('a', 'length'), 'completions', undefined).finished).toBe(true);
    expect(readChunk({ error: { message: 'out of memory' } }, 'completions', undefined).error).toBe(
      'server error in stream: out of memory',
    );
    expect(readChunk(null, 'completions', undefined).token).toBe(false);
  });
});
