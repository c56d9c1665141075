// The handle of a started, ready container: endpoint, logs, exit, idempotent stop (container removed).
import type Docker from 'dockerode';
import type { LogRing } from '../log-ring.js';
import type { ServerHandle, SignalOptions } from '../types.js';
import type { LogFollower } from './container-logs.js';
import { stopAndRemove } from './container-removal.js';

/** What a handle is built from (the controller owns the launch, the handle owns the teardown). */
export interface DockerServerHandleParts {
  container: Docker.Container;
  /** Container name (unique per launch). */
  name: string;
  endpoint: string;
  startupMs: number;
  ring: LogRing;
  follower: LogFollower;
  exited: Promise<{ exitCode: number | null; signal: string | null; error?: Error | undefined }>;
  /** Cancels the pending container wait request. */
  cancelWait: () => void;
  /** Called once the container is gone. */
  onRemoved: () => void;
  stopGraceMs: number;
  /** Image id the container runs (`sha256:...`). */
  imageDigest?: string | undefined;
  /** The image's `org.opencontainers.image.version` label. */
  imageVersion?: string | undefined;
}

/** A ready engine in a container; `stop()` (or disposal) stops and removes the container exactly once. */
export class DockerServerHandle implements ServerHandle {
  readonly endpoint: string;
  readonly startupMs: number;
  readonly exited: Promise<{ exitCode: number | null; signal: string | null; error?: Error | undefined }>;
  /** Docker container id. */
  readonly containerId: string;
  /** Docker container name. */
  readonly containerName: string;
  readonly imageDigest: string | undefined;
  readonly imageVersion: string | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly parts: DockerServerHandleParts) {
    this.endpoint = parts.endpoint;
    this.startupMs = parts.startupMs;
    this.exited = parts.exited;
    this.containerId = parts.container.id;
    this.containerName = parts.name;
    this.imageDigest = parts.imageDigest;
    this.imageVersion = parts.imageVersion;
  }

  /** The last `tail` lines (default 100) of stdout and stderr, redacted. */
  async logs(options: { tail?: number } = {}): Promise<string> {
    return this.parts.ring.tail(options.tail ?? 100);
  }

  /** Stops and removes the container; later calls wait for the same teardown. */
  async stop(options: SignalOptions = {}): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await stopAndRemove(this.parts.container, this.parts.stopGraceMs, options.signal);
      } catch (error) {
        // Let a later stop() try again rather than replay this failure.
        this.stopping = undefined;
        throw error;
      }
      this.parts.follower.close();
      this.parts.cancelWait();
      this.parts.onRemoved();
    })();
    await this.stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
