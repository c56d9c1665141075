// No registry is reachable here, so the daemon's pull answers are replayed: a stream of JSON progress lines
// parsed by the real docker-modem, exactly as a daemon sends them.
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { PullProgressEvent } from '../../../../src/controllers/docker/docker-options.js';
import { ensureImage } from '../../../../src/controllers/docker/image-pull.js';
import { LaunchError } from '../../../../src/errors.js';

function fakeDocker(options: { present: boolean; lines: object[] }): { docker: Docker; pulls: string[] } {
  const pulls: string[] = [];
  const docker = {
    modem: new Docker({ socketPath: '/nonexistent.sock' }).modem,
    getImage: () => ({
      inspect: async () => {
        if (options.present) return { Id: 'sha256:1' };
        throw Object.assign(new Error('(HTTP code 404) no such image'), { statusCode: 404 });
      },
    }),
    pull: (image: string, _opts: unknown, callback: (error: unknown, stream?: Readable) => void) => {
      pulls.push(image);
      callback(null, Readable.from(options.lines.map((line) => `${JSON.stringify(line)}\r\n`)));
    },
  } as unknown as Docker;
  return { docker, pulls };
}

describe('ensureImage', () => {
  it('does not pull a present image unless the policy is always', async () => {
    const { docker, pulls } = fakeDocker({ present: true, lines: [{ status: 'Status: up to date' }] });
    await ensureImage(docker, 'org/engine:1', { policy: 'if-missing' });
    expect(pulls).toEqual([]);
    await ensureImage(docker, 'org/engine:1', { policy: 'always' });
    expect(pulls).toEqual(['org/engine:1']);
  });

  it('pulls a missing image and reports progress', async () => {
    const { docker, pulls } = fakeDocker({
      present: false,
      lines: [
        { status: 'Pulling from org/engine', id: '1' },
        { status: 'Downloading', id: 'abc', progress: '[==>   ] 1MB/3MB' },
        { status: 'Pull complete', id: 'abc' },
        { status: 'Status: Downloaded newer image for org/engine:1' },
      ],
    });
    const events: PullProgressEvent[] = [];
    await ensureImage(docker, 'org/engine:1', { policy: 'if-missing', onProgress: (e) => events.push(e) });
    expect(pulls).toEqual(['org/engine:1']);
    expect(events.map((e) => e.status)).toContain('Pull complete');
    expect(events.find((e) => e.progress)).toMatchObject({ image: 'org/engine:1', id: 'abc' });
  });

  it.each([
    ['manifest for org/engine:9 not found: manifest unknown', /does not have it or refused access/],
    ['Get "https://registry/v2/": dial tcp: lookup registry: no such host', /no image registry is reachable/],
  ])('turns a pull error in the stream (%s) into a LaunchError that says why', async (error, why) => {
    const { docker, pulls } = fakeDocker({ present: false, lines: [{ status: 'Pulling' }, { error }] });
    const failure = await ensureImage(docker, 'org/engine:9', { policy: 'if-missing' }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(LaunchError);
    expect((failure as Error).message).toMatch(why);
    expect((failure as Error).message).toContain('org/engine:9');
    // Neither failure is transient: one attempt only.
    expect(pulls).toHaveLength(1);
  });

  it('refuses to pull with the never policy', async () => {
    const { docker, pulls } = fakeDocker({ present: false, lines: [] });
    await expect(ensureImage(docker, 'org/engine:1', { policy: 'never' })).rejects.toThrow(
      /pullPolicy is 'never'/,
    );
    expect(pulls).toEqual([]);
  });
});
