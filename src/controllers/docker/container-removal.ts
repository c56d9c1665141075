// Stopping and removing containers: SIGTERM, SIGKILL after the grace period, then removal; "already gone" is success.
import type Docker from 'dockerode';
import { controlPlaneStatus, retryControlPlane } from '../retry.js';

function statusOf(error: unknown): number | undefined {
  return controlPlaneStatus(error) ?? controlPlaneStatus((error as { cause?: unknown } | undefined)?.cause);
}

/** Runs a Docker call, treating the listed statuses (e.g. 404 gone, 304 already stopped) as success. */
export async function dockerCall(
  call: () => Promise<unknown>,
  what: string,
  options: { ignore?: readonly number[]; signal?: AbortSignal } = {},
): Promise<void> {
  try {
    await retryControlPlane(call, { plane: 'docker', what, signal: options.signal });
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && options.ignore?.includes(status)) return;
    throw error;
  }
}

/**
 * Stops a container (SIGTERM, then SIGKILL after `graceMs`) and removes it with its anonymous volumes.
 * An aborted `signal` skips the grace period (kill at once) but still removes the container.
 */
export async function stopAndRemove(
  container: Docker.Container,
  graceMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const what = `container ${container.id}`;
  if (!signal?.aborted) {
    const stopping = dockerCall(() => container.stop({ t: Math.ceil(graceMs / 1000) }), `stop ${what}`, {
      ignore: [304, 404, 409],
    });
    // A failed kill is harmless: the forced removal below kills as well.
    const onAbort = () =>
      void dockerCall(() => container.kill(), `kill ${what}`, { ignore: [404, 409] }).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await stopping;
    } catch {
      // The forced removal below still ends the container; its failure is the one reported.
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
  // force: kills whatever is still running (including an aborted stop) before removing.
  await dockerCall(() => container.remove({ force: true, v: true }), `remove ${what}`, {
    ignore: [404, 409],
  });
}
