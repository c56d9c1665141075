// The one mapping from a thrown error to a trial's failure: by error class; only an engine's own log tail is read.
import { classifyFailure, type FailureKind } from '../controllers/failure.js';
import {
  BenchmarkError,
  ControlPlaneError,
  errorMessage,
  InvalidParameterError,
  LaunchError,
  PoolCapacityError,
  ReadinessTimeoutError,
  ServerExitedError,
  toAutotunerError,
} from '../errors.js';
import type { FailureReason, TrialRecord } from './trial-record.js';

/** The failure part of a trial record. */
export type TrialFailure = NonNullable<TrialRecord['failure']>;

// What an engine's log tail (or exit status) says, as a trial failure reason; undefined when it says nothing.
const LOG_REASONS: Partial<Record<FailureKind, FailureReason>> = {
  oom: 'oom',
  'cuda-error': 'cuda-error',
  'bad-flag': 'bad-flag',
  'port-in-use': 'port-in-use',
  'model-not-found': 'model-not-found',
};

// The last log line that names an error: usually the engine's own explanation of why it stopped.
function errorLine(logTail: string): string | undefined {
  return logTail
    .split('\n')
    .reverse()
    .find((line) => /error|exception|fatal/i.test(line))
    ?.trim();
}

// "first: second", leaving out a second part the first already says.
function joinDistinct(first: string, second: string | undefined): string {
  return second && !first.includes(second) ? `${first}: ${second}` : first;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Classifies what failed a trial from the error's class (`fallback` is the reason of an error no class explains:
 * e.g. `benchmark-error` while benchmarking); a crashed or hung engine is refined by its own log tail.
 * Never throws, whatever was thrown.
 */
export function classifyTrialFailure(error: unknown, fallback: FailureReason = 'unknown'): TrialFailure {
  const wrapped = toAutotunerError(error);
  const identity = { errorName: wrapped.name, errorCode: wrapped.code };
  const firstLine = errorMessage(error).split('\n')[0] ?? '';
  if (error instanceof ServerExitedError || error instanceof ReadinessTimeoutError) {
    const exited = error instanceof ServerExitedError;
    const fromLog = exited
      ? classifyFailure({ exitCode: error.exitCode, signal: error.signal, logTail: error.logTail })
      : classifyFailure({ logTail: error.logTail });
    const reason = LOG_REASONS[fromLog.kind] ?? (exited ? 'crash' : 'readiness-timeout');
    return {
      reason,
      message: joinDistinct(firstLine, errorLine(error.logTail) ?? fromLog.detail),
      logTail: error.logTail,
      ...(exited ? { exitCode: error.exitCode } : {}),
      ...identity,
    };
  }
  const reason: FailureReason =
    error instanceof LaunchError
      ? 'launch-error'
      : error instanceof ControlPlaneError
        ? 'control-plane'
        : error instanceof BenchmarkError
          ? 'benchmark-error'
          : error instanceof PoolCapacityError
            ? 'no-capacity'
            : error instanceof InvalidParameterError
              ? 'invalid-parameters'
              : isAbort(error)
                ? 'aborted'
                : fallback;
  return { reason, message: wrapped.message, ...identity };
}
