// OpenAI request validation and the simulator's token-counting rule.
import { describe, expect, it } from 'vitest';
import { isApiError, parseGenerationRequest } from '../../../src/sim/openai-request.js';
import { countTokens, promptBlockHashes, tokenText } from '../../../src/sim/tokens.js';

const limits = { servedModelName: 'llama-3.1-8b', maxModelLen: 100, blockSize: 4 };

describe('parseGenerationRequest', () => {
  it.each<[string, 'completion' | 'chat', unknown, number, string]>([
    ['a non-object body', 'completion', [1, 2], 400, 'JSON object'],
    ['a missing prompt', 'completion', { model: 'llama-3.1-8b', max_tokens: 5 }, 400, "'prompt' is required"],
    ['a numeric prompt', 'completion', { prompt: 5 }, 400, "'prompt' must be"],
    ['missing messages', 'chat', { model: 'llama-3.1-8b' }, 400, "'messages' is required"],
    ['empty messages', 'chat', { messages: [] }, 400, "'messages' is required"],
    ['a message without role', 'chat', { messages: [{ content: 'hi' }] }, 400, 'messages[0]'],
    [
      'max_tokens = 0',
      'completion',
      { prompt: 'hi', max_tokens: 0 },
      400,
      'max_tokens must be an integer >= 1',
    ],
    [
      'max_tokens < 0',
      'chat',
      { messages: [{ role: 'user', content: 'hi' }], max_tokens: -3 },
      400,
      'max_tokens',
    ],
    ['fractional max_tokens', 'completion', { prompt: 'hi', max_tokens: 1.5 }, 400, 'max_tokens'],
    [
      'max_completion_tokens = 0',
      'chat',
      { messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 0 },
      400,
      'max_completion_tokens',
    ],
    [
      'an unknown model',
      'completion',
      { model: 'gpt-4', prompt: 'hi' },
      404,
      'The model `gpt-4` does not exist',
    ],
    [
      'too long for the context',
      'completion',
      { prompt: 'w '.repeat(90), max_tokens: 20 },
      400,
      'maximum context length is 100 tokens',
    ],
    ['n = 2', 'completion', { prompt: 'hi', n: 2 }, 400, 'n=2'],
    [
      'a string stream flag',
      'completion',
      { prompt: 'hi', stream: 'yes' },
      400,
      "'stream' must be a boolean",
    ],
  ])('rejects %s', (_name, kind, body, status, message) => {
    const result = parseGenerationRequest(kind, body, limits);
    expect(isApiError(result)).toBe(true);
    expect(result).toMatchObject({ status });
    if (isApiError(result)) expect(result.message).toContain(message);
  });

  it.each<[string, 'completion' | 'chat', unknown, Record<string, unknown>]>([
    [
      'a completion with defaults',
      'completion',
      { prompt: 'one two three' },
      { promptTokens: 3, maxTokens: 16, stream: false, ignoreEos: false },
    ],
    [
      'token ids',
      'completion',
      { prompt: [1, 2, 3, 4, 5], max_tokens: 2 },
      { promptTokens: 5, maxTokens: 2 },
    ],
    [
      'a one-string array',
      'completion',
      { prompt: ['a b'], max_tokens: 2, ignore_eos: true },
      { promptTokens: 2, ignoreEos: true },
    ],
    [
      'chat with parts',
      'chat',
      {
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: [{ type: 'text', text: 'x y z' }] },
        ],
      },
      { promptTokens: 5, maxTokens: 95 },
    ],
    [
      'usage on a stream',
      'chat',
      { messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } },
      { includeUsage: true, stream: true },
    ],
    [
      'usage ignored without stream',
      'completion',
      { prompt: 'hi', stream_options: { include_usage: true } },
      { includeUsage: false },
    ],
  ])('accepts %s', (_name, kind, body, expected) => {
    expect(parseGenerationRequest(kind, body, limits)).toMatchObject(expected);
  });
});

describe('token counting', () => {
  it.each([
    ['hello world', 2],
    ['  leading and   trailing  ', 3],
    ['tabs\tand\nnewlines', 3],
    ['', 1],
  ])('%j has %i tokens', (text, tokens) => {
    expect(countTokens(text)).toBe(tokens);
  });

  it('generated text is one word per token, so it counts back to the same length', () => {
    const text = Array.from({ length: 50 }, (_, i) => tokenText(3, i)).join('');
    expect(countTokens(text)).toBe(50);
  });

  it('block hashes chain: a shared prefix gives shared leading hashes only', () => {
    const a = promptBlockHashes('a b c d e f g h i j k l', 4);
    const b = promptBlockHashes('a b c d e f g h x y z w', 4);
    expect(a).toHaveLength(3);
    expect(b.slice(0, 2)).toEqual(a.slice(0, 2));
    expect(b[2]).not.toBe(a[2]);
  });
});
