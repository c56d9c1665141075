import { describe, expect, it } from 'vitest';
import {
  AutotunerError,
  errorMessage,
  InvalidOptionError,
  PoolCapacityError,
  ReadinessTimeoutError,
  ServerExitedError,
  SpaceTooLargeError,
  toAutotunerError,
  UnexpectedError,
} from '../../src/errors.js';
import * as api from '../../src/index.js';

describe('errors', () => {
  it.each([
    [
      new InvalidOptionError('slo.terms[0].maxMs', -5, 'a positive number'),
      'ERR_INVALID_OPTION_VALUE',
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

// Every error class of the public API, each built from two different sets of sample arguments.
type ErrorClass = new (...args: never[]) => AutotunerError;
const SAMPLES: Record<string, [ErrorClass, unknown[][]]> = {
  InvalidOptionError: [
    api.InvalidOptionError,
    [
      ['a', 1, 'b'],
      ['x.y', null, 'z', { cause: 1 }],
    ],
  ],
  InvalidArgumentError: [
    api.InvalidArgumentError,
    [
      ['count', 0, '>= 1'],
      ['items', [], 'non-empty'],
    ],
  ],
  InvalidOptionsError: [
    api.InvalidOptionsError,
    [
      ['Docker controller', [{ option: 'network', value: 'x', expected: 'bridge or host' }]],
      ['local controller', [{ option: 'stateDir', value: 1, expected: 'a path' }], { cause: 2 }],
    ],
  ],
  InternalError: [api.InternalError, [['broken'], ['other', { cause: new Error('c') }]]],
  UnexpectedError: [api.UnexpectedError, [['thrown'], ['other', { cause: 'str' }]]],
  InvalidParameterError: [
    api.InvalidParameterError,
    [
      ['bad tp', { tp: 3 }],
      ['bad pp', {}],
    ],
  ],
  SpaceTooLargeError: [
    api.SpaceTooLargeError,
    [
      [10, 5],
      [Number.POSITIVE_INFINITY, 1],
    ],
  ],
  PoolCapacityError: [
    api.PoolCapacityError,
    [
      [9, 8],
      [2, 1],
    ],
  ],
  ClusterCapacityError: [
    api.ClusterCapacityError,
    [
      ['0/3 nodes are available', { requested: 8, capacity: 4, resource: 'nvidia.com/gpu', permanent: true }],
      [
        'Insufficient amd.com/gpu',
        { requested: 2, capacity: Number.NaN, resource: 'amd.com/gpu', permanent: false, largestNode: 'n' },
      ],
    ],
  ],
  ReadinessTimeoutError: [
    api.ReadinessTimeoutError,
    [
      [1000, 'tail'],
      [5, '', 'detail', { cause: 1 }],
    ],
  ],
  ServerExitedError: [
    api.ServerExitedError,
    [
      [1, 'tail'],
      [null, '', 'SIGKILL'],
    ],
  ],
  LaunchError: [api.LaunchError, [['no image'], ['refused', { cause: 1 }]]],
  ControlPlaneError: [
    api.ControlPlaneError,
    [
      ['403', 403, false],
      ['reset', undefined, true, { cause: 1 }],
    ],
  ],
  BenchmarkError: [api.BenchmarkError, [['no result'], ['other', { cause: 1 }]]],
  JournalError: [api.JournalError, [['bad journal'], ['unreadable', { cause: 1 }]]],
  JournalExistsError: [api.JournalExistsError, [['a.jsonl'], ['b.jsonl', { cause: 1 }]]],
  JournalMismatchError: [api.JournalMismatchError, [['a.jsonl'], ['b.jsonl']]],
  JournalFormatError: [
    api.JournalFormatError,
    [
      ['a.jsonl', 2, 'not valid JSON'],
      ['b.jsonl', 1, 'not a header', { cause: 1 }],
    ],
  ],
  JournalReadError: [api.JournalReadError, [['a.jsonl'], ['b.jsonl', { cause: 1 }]]],
  JournalWriteError: [api.JournalWriteError, [['a.jsonl'], ['b.jsonl', { cause: 1 }]]],
  MissingSecretError: [
    api.MissingSecretError,
    [
      ['env.API_KEY', 'API_KEY'],
      ['extraArgs[1]', undefined],
    ],
  ],
  ModelConfigError: [
    api.ModelConfigError,
    [
      ['models/x/config.json', 'model_type', 'gpt2', 'is not a supported architecture'],
      ['models/y', undefined, undefined, 'has no config.json', { cause: new Error('ENOENT') }],
    ],
  ],
  OptionsError: [
    api.OptionsError,
    [
      [[{ path: 'model', value: undefined, expected: 'a model' }]],
      [[{ path: 'a', value: 1, expected: 'b' }]],
    ],
  ],
};

describe('one code per error class', () => {
  const exported = Object.entries(api)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof AutotunerError)
    .map(([name]) => name)
    .sort();

  it('samples every exported AutotunerError subclass', () => {
    expect(exported).toEqual(Object.keys(SAMPLES).sort());
  });

  const built = Object.entries(SAMPLES).map(([name, [Class, argSets]]) => ({
    name,
    Class,
    errors: argSets.map((args) => new Class(...(args as never[]))),
  }));

  it.each(built)(
    '$name has exactly one code whatever its arguments, and its own name',
    ({ name, Class, errors }) => {
      const codes = new Set(errors.map((error) => error.code));
      expect(codes.size).toBe(1);
      expect([...codes][0]).toMatch(/^ERR_[A-Z_]+$/);
      for (const error of errors) {
        expect(error).toBeInstanceOf(Class);
        expect(error.name).toBe(name);
      }
    },
  );

  it('no two classes share a code', () => {
    const codes = built.map(({ errors }) => errors[0]?.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('errorMessage and toAutotunerError', () => {
  it.each([
    [new Error('plain'), 'plain'],
    ['a string', 'non-error value thrown: "a string"'],
    [{ reason: 'x' }, 'non-error value thrown: {"reason":"x"}'],
    [undefined, 'non-error value thrown: undefined'],
    [Symbol('s'), 'non-error value thrown: [object Symbol]'],
  ])('renders %s', (thrown, message) => {
    expect(errorMessage(thrown)).toBe(message);
    const wrapped = toAutotunerError(thrown);
    expect(wrapped).toBeInstanceOf(UnexpectedError);
    expect(wrapped.cause).toBe(thrown);
    expect(wrapped.message).toBe(message);
  });

  it('returns an AutotunerError unchanged', () => {
    const error = new ServerExitedError(1, '');
    expect(toAutotunerError(error)).toBe(error);
  });
});
