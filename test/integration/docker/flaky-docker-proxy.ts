// A pass-through proxy in front of the Docker socket that answers chosen API calls with an injected error first.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** One injected failure: the next `times` requests whose method and path match get `status`. */
export interface InjectedFailure {
  method: string;
  pathPattern: RegExp;
  status: number;
  times: number;
}

/** A running proxy; give `socketPath` to dockerode. */
export interface FlakyDockerProxy {
  socketPath: string;
  /** Requests answered with an injected error so far, as `METHOD path`. */
  injected: string[];
  close(): Promise<void>;
}

/** Starts the proxy on a fresh unix socket, forwarding to `targetSocket`. */
export async function startFlakyDockerProxy(
  failures: InjectedFailure[],
  targetSocket = '/var/run/docker.sock',
): Promise<FlakyDockerProxy> {
  const socketPath = path.join(os.tmpdir(), `autotune-docker-proxy-${process.pid}-${Date.now()}.sock`);
  const injected: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const failure = failures.find((f) => f.times > 0 && f.method === req.method && f.pathPattern.test(url));
    if (failure) {
      failure.times -= 1;
      injected.push(`${req.method} ${url.split('?')[0]}`);
      req.resume();
      res.writeHead(failure.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `injected ${failure.status}` }));
      return;
    }
    const upstream = http.request(
      { socketPath: targetSocket, method: req.method, path: url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    injected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
