import { describe, expect, it } from 'vitest';
import {
  AutotunerError,
  JournalError,
  JournalExistsError,
  JournalFormatError,
  JournalMismatchError,
  JournalReadError,
  JournalWriteError,
  MissingSecretError,
} from '../../../../src/errors.js';

describe('journal errors', () => {
  it.each([
    [new JournalExistsError('/j.jsonl'), 'ERR_JOURNAL_EXISTS', /\/j\.jsonl already exists/],
    [new JournalMismatchError('/j.jsonl'), 'ERR_JOURNAL_MISMATCH', /\/j\.jsonl was written by study options/],
    [
      new JournalFormatError('/j.jsonl', 7, 'not valid JSON'),
      'ERR_JOURNAL_FORMAT',
      /\/j\.jsonl line 7: not valid JSON/,
    ],
    [
      new JournalReadError('/j.jsonl', { cause: new Error('ENOENT') }),
      'ERR_JOURNAL_READ',
      /read journal \/j\.jsonl: ENOENT/,
    ],
    [new JournalWriteError('/j.jsonl'), 'ERR_JOURNAL_WRITE', /write journal \/j\.jsonl/],
    [new MissingSecretError('env.API_KEY', 'API_KEY'), 'ERR_MISSING_SECRET', /env\.API_KEY .* set API_KEY/],
  ])('%s has one fixed code and names what is wrong', (error, code, message) => {
    expect(error).toBeInstanceOf(JournalError);
    expect(error).toBeInstanceOf(AutotunerError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message).toMatch(message);
  });

  it('keeps the line and the path of a format error for callers', () => {
    expect(new JournalFormatError('/j.jsonl', 3, 'x')).toMatchObject({
      path: '/j.jsonl',
      line: 3,
      problem: 'x',
    });
  });
});
