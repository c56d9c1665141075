// Controller that runs engines in Docker containers (dockerode): pull, create, start, wait ready, stop, clean up.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { LaunchError, ServerExitedError } from '../../errors.js';
import { defaultLogger, type Logger } from '../../util/logger.js';
import { CONTROLLER_TRAITS } from '../controller-traits.js';
import { cleanupSelector, toDockerLabelFilters } from '../labels.js';
import { LogRing } from '../log-ring.js';
import { sanitizeName } from '../names.js';
import { freePortCandidate, withPortRetry } from '../ports.js';
import { type ExitInfo, waitForReady } from '../readiness.js';
import { retryControlPlane } from '../retry.js';
import type { Controller, LaunchSpec, SignalOptions } from '../types.js';
import { strategyFromSpec } from '../wait-strategies.js';
import { containerCreateOptions, listenPlan } from './container-config.js';
import { drainThenReport, startContainer, waitForExit } from './container-lifecycle.js';
import { followContainerLogs, type LogFollower } from './container-logs.js';
import { reapContainers } from './container-reap.js';
import { dockerCall } from './container-removal.js';
import { trackContainer, untrackContainer } from './docker-exit-hook.js';
import {
  type DockerControllerOptions,
  type ResolvedDockerOptions,
  resolveDockerOptions,
} from './docker-options.js';
import { DockerServerHandle } from './docker-server-handle.js';
import { ensureImage } from './image-pull.js';

/** The OCI annotation an image's build writes its version into. */
const IMAGE_VERSION_LABEL = 'org.opencontainers.image.version';

/** Default readiness budget when the spec gives none (engines may download weights first). */
const DEFAULT_READINESS_TIMEOUT_MS = 600_000;

/**
 * Starts engine servers in Docker containers; everything it starts carries the study labels used by `cleanup`.
 *
 * @example
 * ```ts
 * const controller = new DockerController({ hfCache: { hostPath: '/data/hf' } });
 * await using server = await controller.launch(launchSpec(params, gpus, { runtime: 'vllm', model, studyId, trialId, target: 'container' }));
 * // ... benchmark server.endpoint; the container is stopped and removed on scope exit
 * await controller.cleanup(studyId); // after a crash of the tuner: removes what it left behind
 * ```
 */
export class DockerController implements Controller {
  readonly kind = 'docker' as const;
  readonly traits = CONTROLLER_TRAITS.docker;
  /** The Docker client in use. */
  readonly docker: Docker;
  private readonly options: ResolvedDockerOptions;
  private readonly logger: Logger;
  private readonly pulls = new Map<string, Promise<void>>();

  constructor(options: DockerControllerOptions = {}) {
    this.options = resolveDockerOptions(options);
    this.docker = options.docker ?? new Docker();
    this.logger = (options.logger ?? defaultLogger()).child({ controller: 'docker' });
  }

  /** Pulls (per policy), creates, starts and waits for readiness; any failure removes the container, then rethrows. */
  async launch(spec: LaunchSpec, options: SignalOptions = {}): Promise<DockerServerHandle> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (!spec.image)
      throw new LaunchError(`Launch spec of trial ${spec.trialId} has no image; Docker needs one`);
    const startedMs = this.options.clock.now();
    await this.ensureImageOnce(spec.image, signal);
    if (this.options.network === 'bridge') return this.launchOnce(spec, undefined, startedMs, signal);
    // Host networking: the engine binds a host port itself; a bind conflict relaunches with another port.
    return withPortRetry((port) => this.launchOnce(spec, port, startedMs, signal), {
      signal,
      pickPort: () => freePortCandidate(this.options.hostIp),
    });
  }

  /** Removes every container this library started (for one study, or all); returns their names. */
  async cleanup(studyId?: string, options: SignalOptions = {}): Promise<string[]> {
    const { signal } = options;
    const filters = { label: toDockerLabelFilters(cleanupSelector(studyId)) };
    const found = await retryControlPlane(
      () => this.docker.listContainers({ all: true, filters, abortSignal: signal }),
      {
        plane: 'docker',
        what: 'list containers',
        signal,
      },
    );
    const removed: string[] = [];
    for (const info of found) {
      const container = this.docker.getContainer(info.Id);
      await dockerCall(() => container.remove({ force: true, v: true }), `remove container ${info.Id}`, {
        ignore: [404, 409],
        signal,
      });
      removed.push((info.Names[0] ?? info.Id).replace(/^\//, ''));
    }
    if (removed.length > 0) this.logger.info({ studyId, removed }, 'removed leftover containers');
    return removed;
  }

  /** Removes the study's containers whose owning tuner process on this host is gone; returns their names. */
  async reap(studyId: string, options: SignalOptions = {}): Promise<string[]> {
    const removed = await reapContainers(this.docker, studyId, options.signal);
    if (removed.length > 0) this.logger.info({ studyId, removed }, 'reaped containers of a dead run');
    return removed;
  }

  // One image check or pull per image at a time, shared by parallel launches; each caller waits with its own signal
  // (a pull that every caller gave up on still completes in the background and serves the next launch).
  private async ensureImageOnce(image: string, signal?: AbortSignal): Promise<void> {
    let pending = this.pulls.get(image);
    if (!pending) {
      pending = ensureImage(this.docker, image, {
        policy: this.options.pullPolicy,
        onProgress: (event) => {
          this.logger.debug(event, 'pull progress');
          this.options.onPullProgress?.(event);
        },
      });
      this.pulls.set(image, pending);
      // Only a successful check is kept ('always' keeps none): a failed one is tried again next launch.
      const forget = () => this.pulls.delete(image);
      pending.then(this.options.pullPolicy === 'always' ? forget : undefined, forget);
    }
    await abortable(pending, signal);
  }

  private async launchOnce(
    spec: LaunchSpec,
    hostPort: number | undefined,
    startedMs: number,
    signal?: AbortSignal,
  ): Promise<DockerServerHandle> {
    const name = sanitizeName(
      `${this.options.namePrefix}-${spec.studyId}-${spec.trialId}-${randomUUID().slice(0, 8)}`,
      'docker',
    );
    const plan = listenPlan(spec, this.options, hostPort);
    const create = containerCreateOptions(spec, this.options, name, plan);
    const ring = new LogRing(this.options.logCapacityLines);
    const waitAbort = new AbortController();
    let container: Docker.Container | undefined;
    let follower: LogFollower | undefined;
    try {
      container = await retryControlPlane(
        () => this.docker.createContainer({ ...create, abortSignal: signal }),
        {
          plane: 'docker',
          what: `create container ${name}`,
          signal,
        },
      );
      const created = container;
      trackContainer(created.id, () =>
        dockerCall(() => created.remove({ force: true, v: true }), `remove ${name}`, { ignore: [404, 409] }),
      );
      this.logger.debug({ name, image: spec.image, trialId: spec.trialId }, 'starting container');
      await startContainer(created, name, signal);
      follower = await followContainerLogs(this.docker, created, ring);
      const exited = waitForExit(created, waitAbort.signal);
      const drained = drainThenReport(exited, follower);
      const endpoint = await this.endpointOf(created, plan, drained, ring);
      await waitForReady({
        strategy: strategyFromSpec(spec.readiness),
        baseUrl: endpoint,
        exited: drained,
        logs: () => ring.tail(),
        timeoutMs: spec.readiness.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS,
        signal,
        clock: this.options.clock,
        initialIntervalMs: this.options.readinessInitialIntervalMs,
        maxIntervalMs: Math.max(this.options.readinessInitialIntervalMs, this.options.readinessMaxIntervalMs),
        ...(this.options.wakeOnLogLine ? { wake: (listener: () => void) => ring.onLine(listener) } : {}),
      });
      const startupMs = this.options.clock.now() - startedMs;
      this.logger.debug({ name, endpoint, startupMs }, 'container ready');
      // The exact image that ran, for the reproducibility manifest (a tag can move, the id cannot).
      const image = await created.inspect().then(
        (info) => ({
          digest: info.Image,
          // Image labels are the container's unless the launch overrode them; ours never name a version.
          version: info.Config?.Labels?.[IMAGE_VERSION_LABEL],
        }),
        () => ({ digest: undefined, version: undefined }),
      );
      return new DockerServerHandle({
        container: created,
        name,
        endpoint,
        startupMs,
        ring,
        follower,
        exited: exited.then(({ exitCode, signal: exitSignal, error }) => ({
          exitCode,
          signal: exitSignal,
          error,
        })),
        cancelWait: () => waitAbort.abort(),
        onRemoved: () => untrackContainer(created.id),
        stopGraceMs: this.options.stopGraceMs,
        imageDigest: image.digest,
        imageVersion: image.version,
      });
    } catch (error) {
      follower?.close();
      waitAbort.abort();
      // Removal must happen even when the caller's signal is what failed the launch: no signal here.
      const target = container ?? this.docker.getContainer(name);
      await dockerCall(() => target.remove({ force: true, v: true }), `remove ${name}`, {
        ignore: [404, 409],
      }).catch((removeError: unknown) =>
        this.logger.warn({ name, err: removeError }, 'could not remove failed container'),
      );
      if (container) untrackContainer(container.id);
      throw error;
    }
  }

  private async endpointOf(
    container: Docker.Container,
    plan: { port: number },
    exited: Promise<ExitInfo>,
    ring: LogRing,
  ): Promise<string> {
    const host = this.options.endpointHost.includes(':')
      ? `[${this.options.endpointHost}]`
      : this.options.endpointHost;
    if (this.options.network === 'host') return `http://${host}:${plan.port}`;
    const info = await retryControlPlane(() => container.inspect(), {
      plane: 'docker',
      what: `inspect ${container.id}`,
    });
    const hostPort = info.NetworkSettings.Ports?.[`${plan.port}/tcp`]?.[0]?.HostPort;
    if (hostPort) return `http://${host}:${hostPort}`;
    // No published port: the container has usually already exited; report that rather than a port problem.
    const timer = new AbortController();
    const exit = await Promise.race([
      exited,
      sleep(2_000, undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
    timer.abort();
    if (exit) throw new ServerExitedError(exit.exitCode, ring.tail(50), exit.signal);
    throw new LaunchError(`Container ${container.id} has no published host port for ${plan.port}/tcp`);
  }
}

// Waits for `promise`, or rejects with the signal's reason as soon as it aborts (the promise itself goes on).
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
