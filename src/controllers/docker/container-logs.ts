// Follows a container's stdout and stderr (demultiplexed) into a redacting ring buffer.
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import type { LogRing } from '../log-ring.js';

/** A running log follower. */
export interface LogFollower {
  /** Resolves when the log stream ended (the container stopped) or was closed; never rejects. */
  readonly ended: Promise<void>;
  /** Stops following. */
  close(): void;
}

function ringWriter(ring: LogRing): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      ring.push(chunk);
      callback();
    },
  });
}

/** Starts following the container's output from its creation on; lines land in `ring`. */
export async function followContainerLogs(
  docker: Docker,
  container: Docker.Container,
  ring: LogRing,
): Promise<LogFollower> {
  const stream = (await container.logs({
    follow: true,
    stdout: true,
    stderr: true,
  })) as NodeJS.ReadableStream & { destroy?: () => void };
  // Without a TTY the engine multiplexes stdout and stderr into frames: split them (both go to the ring).
  docker.modem.demuxStream(stream, ringWriter(ring), ringWriter(ring));
  const ended = new Promise<void>((resolve) => {
    const done = () => {
      ring.end();
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
  return {
    ended,
    close: () => stream.destroy?.(),
  };
}
