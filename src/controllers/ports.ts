// Ports without a check-then-release race: a candidate port is only a guess; a bind conflict retries the launch.
import net from 'node:net';
import { LaunchError, ServerExitedError } from '../errors.js';
import { classifyFailure } from './failure.js';

const recentlyIssued: number[] = [];

/**
 * Asks the OS for a currently free TCP port on `host`. The port is released before it is returned,
 * so another process may take it: use it only through `withPortRetry`, which relaunches on a conflict.
 * Ports handed out recently by this process are skipped so parallel launches do not collide here.
 */
export async function freePortCandidate(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen({ port: 0, host, exclusive: true }, () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(chosen));
      });
    });
    if (!recentlyIssued.includes(port)) {
      recentlyIssued.push(port);
      if (recentlyIssued.length > 256) recentlyIssued.shift();
      return port;
    }
  }
  throw new LaunchError(`could not find a free TCP port on ${host}`);
}

/** True when a launch failed because its port was taken (from the exit's log tail or the error text). */
export function isPortConflict(error: unknown): boolean {
  if (error instanceof ServerExitedError) {
    return classifyFailure({ exitCode: error.exitCode, logTail: error.logTail }).kind === 'port-in-use';
  }
  if (error instanceof Error) return classifyFailure({ logTail: error.message }).kind === 'port-in-use';
  return false;
}

/** Options of `withPortRetry`. */
export interface PortRetryOptions {
  /** Launch attempts in all. @default 4 */
  maxAttempts?: number;
  /** Picks the next port. @default freePortCandidate on 127.0.0.1 */
  pickPort?: () => Promise<number>;
  signal?: AbortSignal;
}

/** Runs `launch(port)` and, when it fails with a bind conflict, again with a new port. */
export async function withPortRetry<T>(
  launch: (port: number, attempt: number) => Promise<T>,
  options: PortRetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 4;
  const pickPort = options.pickPort ?? (() => freePortCandidate());
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const port = await pickPort();
    try {
      return await launch(port, attempt);
    } catch (error) {
      if (attempt >= maxAttempts || options.signal?.aborted || !isPortConflict(error)) throw error;
    }
  }
}
