import { afterEach, describe, expect, it } from 'vitest';
import { LogRing } from '../../../src/controllers/log-ring.js';
import { InvalidOptionError } from '../../../src/errors.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/util/redact.js';

afterEach(() => clearRegisteredSecrets());

describe('LogRing', () => {
  it.each([
    ['joins partial lines across chunks', ['ab', 'c\nde', 'f\n'], 10, undefined, 'abc\ndef'],
    ['keeps only the last lines', ['1\n2\n3\n4\n'], 2, undefined, '3\n4'],
    ['tails n lines', ['1\n2\n3\n'], 10, 2, '2\n3'],
    ['shows a pending partial line', ['1\n2'], 10, undefined, '1\n2'],
    ['handles CRLF', ['a\r\nb\r\n'], 10, undefined, 'a\nb'],
  ])('%s', (_name, chunks, capacity, n, expected) => {
    const ring = new LogRing(capacity);
    for (const chunk of chunks) ring.push(Buffer.from(chunk));
    expect(ring.tail(n)).toBe(expected);
  });

  it('redacts registered secrets and token shapes in every line, listeners included', () => {
    registerSecret('s3cr3t-value');
    const ring = new LogRing();
    const seen: string[] = [];
    ring.onLine((line) => seen.push(line));
    ring.push('token=s3cr3t-value\nhf_abcdefghijklmnop here\n');
    expect(ring.tail()).toBe('token=[REDACTED]\n[REDACTED] here');
    expect(seen).toEqual(['token=[REDACTED]', '[REDACTED] here']);
    expect(ring.totalLines).toBe(2);
  });

  it('flushes the last partial line on end and rejects a bad capacity', () => {
    const ring = new LogRing(3);
    ring.push('last');
    ring.end();
    expect(ring.totalLines).toBe(1);
    expect(() => new LogRing(0)).toThrow(InvalidOptionError);
  });
});
