// Container lifecycle steps of a launch: start (permanent failures told apart), wait for exit, drain logs.
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { ControlPlaneError, errorMessage, LaunchError, toAutotunerError } from '../../errors.js';
import type { ExitInfo } from '../readiness.js';
import { retryControlPlane } from '../retry.js';
import type { LogFollower } from './container-logs.js';

/** Longest wait for the last log lines after a container exited, before the error is built. */
const LOG_DRAIN_MS = 1_000;

// Start failures that no retry can fix (missing GPU runtime, bad mount, missing executable in the image).
const PERMANENT_START_FAILURE =
  /could not select device driver|bind source path does not exist|invalid mount|executable file not found|no such file or directory|permission denied/i;

/** Starts a created container; transient API errors are retried, a permanent failure is a `LaunchError`. */
export async function startContainer(
  container: Docker.Container,
  name: string,
  signal?: AbortSignal,
): Promise<void> {
  const start = () =>
    container.start().catch((error: unknown) => {
      const text = errorMessage(error);
      if (PERMANENT_START_FAILURE.test(text))
        throw new LaunchError(`Docker could not start container ${name}: ${text}`, { cause: error });
      throw error;
    });
  try {
    await retryControlPlane(start, { plane: 'docker', what: `start ${name}`, signal, maxAttempts: 3 });
  } catch (error) {
    // The retry helper reports any failure as a ControlPlaneError; a permanent start failure is a launch error.
    if (error instanceof ControlPlaneError && error.cause instanceof LaunchError) throw error.cause;
    throw error;
  }
}

/**
 * Resolves with the exit code when the container stops; a cancelled wait resolves with nulls, a failed one (after
 * retries of transient API errors) with a `ControlPlaneError` saying why Docker could not report the exit.
 */
export function waitForExit(container: Docker.Container, signal: AbortSignal): Promise<ExitInfo> {
  return retryControlPlane(() => container.wait({ condition: 'not-running', abortSignal: signal }), {
    plane: 'docker',
    what: `wait for container ${container.id}`,
    signal,
    maxAttempts: 3,
  }).then(
    (result: { StatusCode?: number }) => ({ exitCode: result.StatusCode ?? null, signal: null }),
    (error: unknown) =>
      signal.aborted
        ? { exitCode: null, signal: null }
        : { exitCode: null, signal: null, error: toAutotunerError(error) },
  );
}

// The exit as readiness should see it: after the last log lines arrived (bounded), so the error carries them.
export async function drainThenReport(exited: Promise<ExitInfo>, follower: LogFollower): Promise<ExitInfo> {
  const info = await exited;
  const timer = new AbortController();
  await Promise.race([
    follower.ended,
    sleep(LOG_DRAIN_MS, undefined, { signal: timer.signal }).catch(() => {}),
  ]);
  timer.abort();
  return info;
}
