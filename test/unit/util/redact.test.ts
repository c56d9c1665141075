import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, redactText, redactValue, registerSecret } from '../../../src/util/redact.js';

afterEach(() => clearRegisteredSecrets());

describe('redaction', () => {
  it.each([
    ['HF token', 'token hf_abcdefghijklmnopqrstuv in text', 'token [REDACTED] in text'],
    ['OpenAI key', 'key=sk-proj-ABCDEFGHIJKLMNOP', 'key=[REDACTED]'],
    ['Bearer header', 'Authorization: Bearer abc.def.ghi12345', 'Authorization: Bearer [REDACTED]'],
    ['plain text', 'nothing secret here', 'nothing secret here'],
  ])('redacts a %s', (_name, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redacts registered literal secrets anywhere', () => {
    registerSecret('canary-value-123');
    expect(redactText('x canary-value-123 y')).toBe('x [REDACTED] y');
  });

  it('redacts secret-named keys and argv values after secret-named flags', () => {
    const out = redactValue({
      env: { HF_TOKEN: 'abc', PATH: '/bin' },
      argv: ['--api-key', 'k123', '--port', '8000'],
      nested: [{ password: 'p' }],
    });
    expect(out).toEqual({
      env: { HF_TOKEN: '[REDACTED]', PATH: '/bin' },
      argv: ['--api-key', '[REDACTED]', '--port', '8000'],
      nested: [{ password: '[REDACTED]' }],
    });
  });
});

describe('secret names', () => {
  it.each([
    ['HF_TOKEN', true],
    ['hfToken', true],
    ['token', true],
    ['api-key', true],
    ['--api-key', true],
    ['max-num-batched-tokens', false],
    ['max_tokens', false],
    ['tokenizer', false],
    ['--tokenizer-mode', false],
  ])('%s is secret: %s', (name, secret) => {
    expect(redactValue({ [name]: 'v' })).toEqual({ [name]: secret ? '[REDACTED]' : 'v' });
    expect(redactValue([name, 'v'])[1]).toBe(secret && name.startsWith('-') ? '[REDACTED]' : 'v');
  });
});
