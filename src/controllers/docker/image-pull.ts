// Makes sure an image is present: inspect, then pull with progress when the policy allows; clear errors offline.
import type Docker from 'dockerode';
import { ControlPlaneError, errorMessage, LaunchError } from '../../errors.js';
import { controlPlaneStatus, retryControlPlane } from '../retry.js';
import type { PullPolicy, PullProgressEvent } from './docker-options.js';

/** Options of `ensureImage`. */
export interface EnsureImageOptions {
  policy: PullPolicy;
  onProgress?: ((event: PullProgressEvent) => void) | undefined;
  signal?: AbortSignal;
}

// Pull failures that mean "no registry reachable" rather than a registry hiccup: retrying does not help.
const OFFLINE_PATTERN =
  /no such host|dial tcp|connection refused|i\/o timeout|TLS handshake timeout|network is unreachable|Temporary failure in name resolution|Client\.Timeout exceeded/i;
const NOT_FOUND_PATTERN = /not found|manifest unknown|pull access denied|repository does not exist/i;

async function imageExists(docker: Docker, image: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await retryControlPlane(() => docker.getImage(image).inspect(), {
      plane: 'docker',
      what: `inspect image ${image}`,
      signal,
    });
    return true;
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    if (controlPlaneStatus(error) === 404 || controlPlaneStatus(cause) === 404) return false;
    throw error;
  }
}

function pullOnce(docker: Docker, image: string, options: EnsureImageOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    docker.pull(image, { abortSignal: options.signal }, (error: unknown, stream?: NodeJS.ReadableStream) => {
      if (error || !stream) {
        reject(
          error ??
            new ControlPlaneError(`Docker answered the pull of ${image} without a stream`, undefined, false),
        );
        return;
      }
      docker.modem.followProgress(
        stream,
        // The engine reports a failed pull as an `error` event inside a 200 stream.
        (finishError: unknown, events: { error?: string }[] = []) => {
          const failed = events.find((event) => event.error);
          if (finishError) reject(finishError);
          else if (failed) reject(new ControlPlaneError(failed.error ?? 'pull failed', undefined, false));
          else resolve();
        },
        (event: { status?: string; id?: string; progress?: string }) => {
          if (event.status) {
            options.onProgress?.({ image, status: event.status, id: event.id, progress: event.progress });
          }
        },
      );
    });
  });
}

/** Resolves when `image` is available locally; throws `LaunchError` when it is missing and cannot be pulled. */
export async function ensureImage(docker: Docker, image: string, options: EnsureImageOptions): Promise<void> {
  if (options.policy !== 'always' && (await imageExists(docker, image, options.signal))) return;
  if (options.policy === 'never') {
    throw new LaunchError(
      `Image ${image} is not present on the Docker host and pullPolicy is 'never'; build or load it first (docker build / docker load / docker import)`,
    );
  }
  try {
    const attempt = () =>
      pullOnce(docker, image, options).catch((error: unknown) => {
        const text = errorMessage(error);
        // Docker answers 500 for an unreachable registry; that is not worth retrying.
        if (OFFLINE_PATTERN.test(text) || NOT_FOUND_PATTERN.test(text)) {
          throw new ControlPlaneError(text, controlPlaneStatus(error), false, { cause: error });
        }
        throw error;
      });
    await retryControlPlane(attempt, {
      plane: 'docker',
      what: `pull ${image}`,
      signal: options.signal,
      maxAttempts: 3,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const text = errorMessage(error);
    const why = OFFLINE_PATTERN.test(text)
      ? 'no image registry is reachable from the Docker host (offline?)'
      : NOT_FOUND_PATTERN.test(text)
        ? 'the registry does not have it or refused access (check the name, tag and docker login)'
        : 'the pull failed';
    throw new LaunchError(
      `Image ${image} is not present on the Docker host and could not be pulled: ${why}. ` +
        `Load or build it on the Docker host first, or pick a present image. Docker said: ${text.split('\n')[0]}`,
      { cause: error },
    );
  }
}
