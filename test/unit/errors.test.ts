import { describe, expect, it } from 'vitest';
import {
  AutotunerError,
  InvalidOptionError,
  PoolCapacityError,
  ReadinessTimeoutError,
  ServerExitedError,
  SpaceTooLargeError,
} from '../../src/errors.js';

describe('errors', () => {
  it.each([
    [
      new InvalidOptionError('slo.terms[0].maxMs', -5, 'a positive number'),
      'ERR_INVALID_OPTION',
      /slo\.terms\[0\]\.maxMs.*-5.*positive/,
    ],
    [new PoolCapacityError(9, 8), 'ERR_POOL_CAPACITY', /9 GPUs.*only has 8/],
    [new ReadinessTimeoutError(1000, 'last line'), 'ERR_READINESS_TIMEOUT', /1000 ms[\s\S]*last line/],
    [new ServerExitedError(3, 'boom'), 'ERR_SERVER_EXITED', /code 3[\s\S]*boom/],
    [new SpaceTooLargeError(1e12, 100_000), 'ERR_SPACE_TOO_LARGE', /1,000,000,000,000/],
  ])('%s has a stable code and a message naming the problem', (error, code, message) => {
    expect(error).toBeInstanceOf(AutotunerError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.name).not.toBe('Error');
  });

  it('keeps the cause', () => {
    const cause = new Error('inner');
    expect(new AutotunerError('outer', 'ERR_X', { cause }).cause).toBe(cause);
  });
});
