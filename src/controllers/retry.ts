// One retry helper for control-plane calls (Docker API, Kubernetes API): transient errors retried, others fail at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { ControlPlaneError, errorMessage } from '../errors.js';

/** Which control plane a call talks to (409 is transient on Kubernetes, permanent on Docker). */
export type ControlPlane = 'docker' | 'kubernetes';

const TRANSIENT_NET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** HTTP status of a dockerode (`statusCode`) or @kubernetes/client-node (`code`) error, if any. */
export function controlPlaneStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const record = error as Record<string, unknown>;
  for (const key of ['statusCode', 'code', 'status']) {
    const value = record[key];
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}

// The server's own explanation: a Kubernetes Status body's `message` (@kubernetes/client-node puts the body, often
// as JSON text, on `body`), dockerode's `json.message`, else the error's first line.
function serverMessage(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const record = error as { body?: unknown; json?: unknown };
    for (const candidate of [record.body, record.json]) {
      let parsed: unknown = candidate;
      if (typeof candidate === 'string') {
        try {
          parsed = JSON.parse(candidate);
        } catch {
          parsed = undefined;
        }
      }
      const message = (parsed as { message?: unknown } | null | undefined)?.message;
      if (typeof message === 'string' && message.trim() !== '') return message.trim();
    }
  }
  return errorMessage(error).split('\n')[0] ?? '';
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when a control-plane error is worth retrying (5xx, 429, Kubernetes 409, connection resets). */
export function isTransientControlPlaneError(error: unknown, plane: ControlPlane): boolean {
  if (error instanceof ControlPlaneError) return error.transient;
  const status = controlPlaneStatus(error);
  if (status !== undefined) {
    if (status >= 500 || status === 429 || status === 408) return true;
    return plane === 'kubernetes' && status === 409;
  }
  const code = networkCode(error);
  if (code !== undefined) return TRANSIENT_NET_CODES.has(code);
  return error instanceof Error && /socket hang up|ECONNRESET/i.test(error.message);
}

/** Options of `retryControlPlane`. */
export interface RetryOptions {
  plane: ControlPlane;
  /** Short description of the call for error messages, e.g. `create Deployment tune-1`. */
  what: string;
  signal?: AbortSignal;
  /** Total attempts including the first. @default 5 */
  maxAttempts?: number;
  /** First backoff delay. @default 100 */
  initialDelayMs?: number;
  /** Backoff cap. @default 2_000 */
  maxDelayMs?: number;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return (
    signal?.aborted === true &&
    (error === signal.reason || (error instanceof Error && error.name === 'AbortError'))
  );
}

/**
 * Runs a control-plane call; transient failures are retried with capped exponential backoff, permanent
 * ones fail at once. Failures become `ControlPlaneError`; an abort is rethrown unchanged.
 */
export async function retryControlPlane<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  let delayMs = options.initialDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      if (isAbort(error, options.signal)) throw options.signal?.reason ?? error;
      if (error instanceof ControlPlaneError && !error.transient) throw error;
      const transient = isTransientControlPlaneError(error, options.plane);
      if (!transient || attempt >= maxAttempts) {
        const status = controlPlaneStatus(error);
        throw new ControlPlaneError(
          `${options.plane} call failed (${options.what})${status ? `: HTTP ${status}` : ''}${transient ? ` after ${attempt} attempts` : ''}: ${serverMessage(error)}`,
          status,
          transient,
          { cause: error },
        );
      }
      try {
        await sleep(delayMs, undefined, { signal: options.signal });
      } catch (sleepError) {
        throw options.signal?.reason ?? sleepError;
      }
      delayMs = Math.min(maxDelayMs, delayMs * 2);
    }
  }
}
