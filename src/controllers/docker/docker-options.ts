// Options of the Docker controller, validated and normalised once at construction.
import type Docker from 'dockerode';
import { InvalidOptionError } from '../../errors.js';
import { type Clock, systemClock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';

/** When to pull a launch spec's image. */
export type PullPolicy = 'if-missing' | 'always' | 'never';

/** One line of `docker pull` progress as the engine reports it. */
export interface PullProgressEvent {
  image: string;
  status: string;
  /** Layer id, when the event is about one layer. */
  id?: string;
  progress?: string;
}

/** Options of `DockerController`. */
export interface DockerControllerOptions {
  /** Docker client to use. @default a client built from DOCKER_HOST (or the local socket) */
  docker?: Docker;
  /** `bridge` publishes the engine port on `hostIp` with an ephemeral host port; `host` shares the host's network. @default 'bridge' */
  network?: 'bridge' | 'host';
  /** Host address ports are published on (bridge) or the engine binds to (host network). @default '127.0.0.1' */
  hostIp?: string;
  /** Host name clients use to reach published ports (set it when DOCKER_HOST is a remote daemon). @default hostIp, or 127.0.0.1 when hostIp is 0.0.0.0 */
  endpointHost?: string;
  /** @default 'if-missing' */
  pullPolicy?: PullPolicy;
  /** Called for each progress event of an image pull. */
  onPullProgress?: (event: PullProgressEvent) => void;
  /** Hugging Face cache on the host, mounted read-write beside the spec's own volumes (e.g. a local model folder). */
  hfCache?: { hostPath: string /** @default '/root/.cache/huggingface' */; containerPath?: string };
  /** How GPUs are named in DeviceRequests: stable UUIDs or nvidia-smi indices. MIG instances always use UUIDs. @default 'uuid' */
  gpuIdentifier?: 'uuid' | 'index';
  /** Device driver of GPU DeviceRequests. @default 'nvidia' */
  gpuDriver?: string;
  /** Grace period between SIGTERM and SIGKILL when stopping a container, in ms. @default 10_000 */
  stopGraceMs?: number;
  /** Log lines kept per container. @default 500 */
  logCapacityLines?: number;
  /** First delay between readiness probes, in ms. @default 50 */
  readinessInitialIntervalMs?: number;
  /** Cap of the delay between readiness probes, in ms. @default 500 */
  readinessMaxIntervalMs?: number;
  /** Probe readiness at once whenever the container prints a line (engines log when they turn ready). @default true */
  wakeOnLogLine?: boolean;
  /** Run an init process as PID 1 (forwards signals, reaps zombies); needs docker-init on the daemon. @default false */
  init?: boolean;
  /** Prefix of container names. @default 'autotune' */
  namePrefix?: string;
  logger?: Logger;
  clock?: Clock;
}

/** Options after defaults were applied. */
export interface ResolvedDockerOptions {
  network: 'bridge' | 'host';
  hostIp: string;
  endpointHost: string;
  pullPolicy: PullPolicy;
  onPullProgress: ((event: PullProgressEvent) => void) | undefined;
  hfCache: { hostPath: string; containerPath: string } | undefined;
  gpuIdentifier: 'uuid' | 'index';
  gpuDriver: string;
  stopGraceMs: number;
  logCapacityLines: number;
  readinessInitialIntervalMs: number;
  readinessMaxIntervalMs: number;
  wakeOnLogLine: boolean;
  init: boolean;
  namePrefix: string;
  clock: Clock;
}

function oneOf<T extends string>(
  option: string,
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new InvalidOptionError(option, value, `one of ${allowed.join(', ')}`);
  return value;
}

function nonNegative(option: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new InvalidOptionError(option, value, integer ? 'a non-negative integer' : 'a non-negative number');
  }
  return value;
}

/** Validates options (messages name the option and the bad value) and fills in defaults. */
export function resolveDockerOptions(options: DockerControllerOptions): ResolvedDockerOptions {
  const hostIp = options.hostIp ?? '127.0.0.1';
  if (options.hfCache !== undefined && !options.hfCache.hostPath?.startsWith('/')) {
    throw new InvalidOptionError('hfCache.hostPath', options.hfCache.hostPath, 'an absolute host path');
  }
  const logCapacityLines = nonNegative('logCapacityLines', options.logCapacityLines, 500, true);
  if (logCapacityLines < 1) throw new InvalidOptionError('logCapacityLines', logCapacityLines, 'at least 1');
  return {
    network: oneOf('network', options.network, ['bridge', 'host'], 'bridge'),
    hostIp,
    endpointHost: options.endpointHost ?? (hostIp === '0.0.0.0' || hostIp === '::' ? '127.0.0.1' : hostIp),
    pullPolicy: oneOf('pullPolicy', options.pullPolicy, ['if-missing', 'always', 'never'], 'if-missing'),
    onPullProgress: options.onPullProgress,
    hfCache: options.hfCache && {
      hostPath: options.hfCache.hostPath,
      containerPath: options.hfCache.containerPath ?? '/root/.cache/huggingface',
    },
    gpuIdentifier: oneOf('gpuIdentifier', options.gpuIdentifier, ['uuid', 'index'], 'uuid'),
    gpuDriver: options.gpuDriver ?? 'nvidia',
    stopGraceMs: nonNegative('stopGraceMs', options.stopGraceMs, 10_000),
    logCapacityLines,
    readinessInitialIntervalMs: nonNegative(
      'readinessInitialIntervalMs',
      options.readinessInitialIntervalMs,
      50,
    ),
    readinessMaxIntervalMs: nonNegative('readinessMaxIntervalMs', options.readinessMaxIntervalMs, 500),
    wakeOnLogLine: options.wakeOnLogLine ?? true,
    init: options.init ?? false,
    namePrefix: options.namePrefix ?? 'autotune',
    clock: options.clock ?? systemClock,
  };
}
