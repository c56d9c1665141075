// Options of the Docker controller, validated and normalised once at construction.
import type Docker from 'dockerode';
import { z } from 'zod';
import { type Clock, systemClock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { optionTypes, parseControllerOptions } from '../controller-options.js';

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

const dockerOptionsSchema = z.strictObject({
  docker: optionTypes.object.optional(),
  network: z.enum(['bridge', 'host']).default('bridge'),
  hostIp: optionTypes.text.default('127.0.0.1'),
  endpointHost: optionTypes.text.optional(),
  pullPolicy: z.enum(['if-missing', 'always', 'never']).default('if-missing'),
  onPullProgress: optionTypes.fn.optional(),
  hfCache: z
    .strictObject({
      hostPath: z.string().startsWith('/', 'an absolute host path'),
      containerPath: z
        .string()
        .startsWith('/', 'an absolute container path')
        .default('/root/.cache/huggingface'),
    })
    .optional(),
  gpuIdentifier: z.enum(['uuid', 'index']).default('uuid'),
  gpuDriver: optionTypes.text.default('nvidia'),
  stopGraceMs: optionTypes.nonNegativeMs.default(10_000),
  logCapacityLines: optionTypes.count.default(500),
  readinessInitialIntervalMs: optionTypes.nonNegativeMs.default(50),
  readinessMaxIntervalMs: optionTypes.nonNegativeMs.default(500),
  wakeOnLogLine: z.boolean().default(true),
  init: z.boolean().default(false),
  namePrefix: optionTypes.text.default('autotune'),
  logger: optionTypes.object.optional(),
  clock: optionTypes.clock.optional(),
});

/** Validates options (every problem at once, each naming the option and the bad value) and fills in defaults. */
export function resolveDockerOptions(options: DockerControllerOptions): ResolvedDockerOptions {
  const parsed = parseControllerOptions('Docker controller', dockerOptionsSchema, options);
  const hostIp = parsed.hostIp;
  return {
    network: parsed.network,
    hostIp,
    endpointHost: parsed.endpointHost ?? (hostIp === '0.0.0.0' || hostIp === '::' ? '127.0.0.1' : hostIp),
    pullPolicy: parsed.pullPolicy,
    onPullProgress: options.onPullProgress,
    hfCache: parsed.hfCache,
    gpuIdentifier: parsed.gpuIdentifier,
    gpuDriver: parsed.gpuDriver,
    stopGraceMs: parsed.stopGraceMs,
    logCapacityLines: parsed.logCapacityLines,
    readinessInitialIntervalMs: parsed.readinessInitialIntervalMs,
    readinessMaxIntervalMs: parsed.readinessMaxIntervalMs,
    wakeOnLogLine: parsed.wakeOnLogLine,
    init: parsed.init,
    namePrefix: parsed.namePrefix,
    clock: options.clock ?? systemClock,
  };
}
