import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePortCandidate, isPortConflict, withPortRetry } from '../../../src/controllers/ports.js';
import { ServerExitedError } from '../../../src/errors.js';

describe('ports', () => {
  it('hands out distinct, currently bindable ports', async () => {
    const a = await freePortCandidate();
    const b = await freePortCandidate();
    expect(a).not.toBe(b);
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(a, '127.0.0.1', r));
    await new Promise((r) => server.close(r));
  });

  it.each([
    [new ServerExitedError(1, 'OSError: [Errno 98] Address already in use'), true],
    [new ServerExitedError(1, 'CUDA out of memory'), false],
    [new Error('driver failed programming external connectivity: port is already allocated'), true],
    ['nope', false],
  ])('isPortConflict(%s) -> %s', (error, expected) => {
    expect(isPortConflict(error)).toBe(expected);
  });

  it('relaunches on a bind conflict with a new port and stops on other errors', async () => {
    const tried: number[] = [];
    const ports = [5001, 5002, 5003];
    const result = await withPortRetry(
      async (port) => {
        tried.push(port);
        if (port !== 5003) throw new ServerExitedError(1, 'Address already in use');
        return port;
      },
      { pickPort: async () => ports.shift() ?? 0 },
    );
    expect([result, tried]).toEqual([5003, [5001, 5002, 5003]]);

    let calls = 0;
    const other = new ServerExitedError(1, 'CUDA out of memory');
    await expect(
      withPortRetry(
        async () => {
          calls += 1;
          throw other;
        },
        { pickPort: async () => 1 },
      ),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});
