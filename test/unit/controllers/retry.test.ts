import { describe, expect, it } from 'vitest';
import { isTransientControlPlaneError, retryControlPlane } from '../../../src/controllers/retry.js';
import { ControlPlaneError } from '../../../src/errors.js';

const withStatus = (key: string, status: number) =>
  Object.assign(new Error(`HTTP ${status}`), { [key]: status });
const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isTransientControlPlaneError', () => {
  it.each([
    [withStatus('statusCode', 500), 'docker', true],
    [withStatus('statusCode', 503), 'docker', true],
    [withStatus('statusCode', 409), 'docker', false],
    [withStatus('statusCode', 404), 'docker', false],
    [withStatus('code', 409), 'kubernetes', true],
    [withStatus('code', 429), 'kubernetes', true],
    [withStatus('code', 502), 'kubernetes', true],
    [withStatus('code', 422), 'kubernetes', false],
    [withStatus('code', 403), 'kubernetes', false],
    [withCode('ECONNRESET'), 'docker', true],
    [withCode('ENOENT'), 'docker', false],
    [new Error('socket hang up'), 'kubernetes', true],
    [new Error('bad manifest'), 'kubernetes', false],
  ] as const)('%s on %s -> %s', (error, plane, expected) => {
    expect(isTransientControlPlaneError(error, plane)).toBe(expected);
  });
});

describe('retryControlPlane', () => {
  it('retries transient errors then succeeds', async () => {
    let calls = 0;
    const result = await retryControlPlane(
      async () => {
        calls += 1;
        if (calls < 3) throw withCode('ECONNRESET');
        return 'ok';
      },
      { plane: 'docker', what: 'ping', initialDelayMs: 1 },
    );
    expect([result, calls]).toEqual(['ok', 3]);
  });

  it('fails at once on a permanent error with a ControlPlaneError carrying the status', async () => {
    let calls = 0;
    const error = await retryControlPlane(
      async () => {
        calls += 1;
        throw withStatus('code', 422);
      },
      { plane: 'kubernetes', what: 'create Pod p', initialDelayMs: 1 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect(error).toMatchObject({ statusCode: 422, transient: false, code: 'ERR_CONTROL_PLANE' });
    expect((error as Error).message).toContain('create Pod p');
  });

  it.each([
    [
      'a Kubernetes Status body (JSON text)',
      { code: 403, body: JSON.stringify({ kind: 'Status', message: 'pods is forbidden: no' }) },
    ],
    ['a dockerode json body', { statusCode: 404, json: { message: 'pods is forbidden: no' } }],
  ])("carries the server's own message from %s", async (_, fields) => {
    const error = await retryControlPlane(
      async () => {
        throw Object.assign(new Error('HTTP-Code: 403\nMessage: Unknown API Status Code!'), fields);
      },
      { plane: 'kubernetes', what: 'list pods', initialDelayMs: 1 },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/list pods.*: pods is forbidden: no$/);
  });

  it('gives up after maxAttempts on a transient error', async () => {
    let calls = 0;
    const error = await retryControlPlane(
      async () => {
        calls += 1;
        throw withStatus('statusCode', 500);
      },
      { plane: 'docker', what: 'x', initialDelayMs: 1, maxAttempts: 3 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ transient: true, statusCode: 500 });
  });

  it('rethrows the abort reason unchanged', async () => {
    const controller = new AbortController();
    const reason = new Error('user abort');
    const promise = retryControlPlane(
      async () => {
        controller.abort(reason);
        throw withCode('ECONNRESET');
      },
      { plane: 'docker', what: 'x', initialDelayMs: 1, signal: controller.signal },
    );
    await expect(promise).rejects.toBe(reason);
  });
});
