import { describe, expect, it } from 'vitest';
import {
  BenchmarkError,
  ControlPlaneError,
  InvalidArgumentError,
  LaunchError,
  PoolCapacityError,
  ReadinessTimeoutError,
  ServerExitedError,
} from '../../../src/errors.js';
import { classifyTrialFailure } from '../../../src/tune/classify-trial-failure.js';

describe('classifyTrialFailure', () => {
  it.each([
    [new ServerExitedError(1, 'torch.OutOfMemoryError: CUDA out of memory'), 'oom', 'ServerExitedError'],
    [new ServerExitedError(137, 'loading weights'), 'oom', 'ServerExitedError'],
    [new ServerExitedError(2, 'usage: vllm serve'), 'bad-flag', 'ServerExitedError'],
    [new ServerExitedError(1, 'Segmentation fault'), 'crash', 'ServerExitedError'],
    [new ReadinessTimeoutError(1000, 'still loading'), 'readiness-timeout', 'ReadinessTimeoutError'],
    [
      new ReadinessTimeoutError(1000, 'CUDA error: device-side assert'),
      'cuda-error',
      'ReadinessTimeoutError',
    ],
    [new LaunchError('pod p: ErrImagePull: image not found'), 'launch-error', 'LaunchError'],
    [new ControlPlaneError('pods is forbidden', 403, false), 'control-plane', 'ControlPlaneError'],
    [new BenchmarkError('no request succeeded'), 'benchmark-error', 'BenchmarkError'],
    [new PoolCapacityError(9, 8), 'no-capacity', 'PoolCapacityError'],
    [new InvalidArgumentError('count', 0, 'an integer >= 1'), 'unknown', 'InvalidArgumentError'],
    [new TypeError('x is not a function'), 'unknown', 'UnexpectedError'],
    ['a plain string', 'unknown', 'UnexpectedError'],
    [{ status: 'weird' }, 'unknown', 'UnexpectedError'],
    [undefined, 'unknown', 'UnexpectedError'],
  ])('classifies %s as %s by its class', (error, reason, errorName) => {
    const failure = classifyTrialFailure(error);
    expect(failure).toMatchObject({ reason, errorName });
    expect(failure.errorCode).toMatch(/^ERR_[A-Z_]+$/);
    expect(failure.message.length).toBeGreaterThan(0);
  });

  it('ignores message text: an unexpected error that reads like a timeout stays unknown', () => {
    expect(classifyTrialFailure(new Error('Server not ready after 1000 ms')).reason).toBe('unknown');
  });

  it('uses the fallback for errors no class explains, not for classified ones', () => {
    expect(classifyTrialFailure(new Error('socket closed'), 'benchmark-error').reason).toBe(
      'benchmark-error',
    );
    expect(classifyTrialFailure(new LaunchError('no image'), 'benchmark-error').reason).toBe('launch-error');
  });

  it('keeps what the engine said and its exit code for a crash', () => {
    const failure = classifyTrialFailure(
      new ServerExitedError(1, 'INFO loading\nValueError: max_model_len exceeds the model'),
    );
    expect(failure).toMatchObject({ reason: 'crash', exitCode: 1, errorCode: 'ERR_SERVER_EXITED' });
    expect(failure.message).toContain('ValueError: max_model_len exceeds the model');
    expect(failure.logTail).toContain('INFO loading');
  });

  it('renders a non-Error value in the message', () => {
    expect(classifyTrialFailure({ status: 'weird' }).message).toContain('{"status":"weird"}');
  });
});
