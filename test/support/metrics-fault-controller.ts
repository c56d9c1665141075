// A controller that launches through another one and puts a real HTTP proxy in front of each server, whose
// /metrics answers 404, garbage, or never; every other request goes through to the engine.
import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Controller, LaunchSpec, ServerHandle, SignalOptions } from '../../src/controllers/types.js';

/** What the proxy's /metrics does. */
export type MetricsFault = '404' | 'garbage' | 'hang';

/** A proxy's record: /metrics requests seen, and the connections open when its server stopped. */
export interface ProxyRecord {
  metricsRequests: number;
  openAtStop: number;
}

export class MetricsFaultController implements Controller {
  readonly kind = 'metrics-fault';
  readonly proxies: ProxyRecord[] = [];
  constructor(
    private readonly inner: Controller,
    private readonly fault: MetricsFault,
  ) {}

  get traits() {
    return this.inner.traits;
  }

  async launch(spec: LaunchSpec, options?: SignalOptions): Promise<ServerHandle> {
    const handle = await this.inner.launch(spec, options);
    const target = new URL(handle.endpoint);
    const record: ProxyRecord = { metricsRequests: 0, openAtStop: 0 };
    this.proxies.push(record);
    const open = new Set<Socket>();
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/metrics')) {
        record.metricsRequests++;
        if (this.fault === 'hang') return;
        if (this.fault === '404') return void res.writeHead(404).end('{"detail":"Not Found"}');
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>login</p>');
      }
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    server.on('connection', (socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let stopped = false;
    const stop = async (stopOptions?: SignalOptions): Promise<void> => {
      if (stopped) return;
      stopped = true;
      // Give sockets the client already closed a moment to say so before they are counted.
      await new Promise((resolve) => setTimeout(resolve, 100));
      record.openAtStop = open.size;
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.stop(stopOptions);
    };
    return {
      endpoint: `http://127.0.0.1:${port}`,
      startupMs: handle.startupMs,
      logs: (o) => handle.logs(o),
      exited: handle.exited,
      stop,
      [Symbol.asyncDispose]: () => stop(),
    };
  }

  cleanup(studyId?: string, options?: SignalOptions): Promise<string[]> {
    return this.inner.cleanup(studyId, options);
  }

  reap(studyId: string, options?: SignalOptions): Promise<string[]> {
    return this.inner.reap(studyId, options);
  }
}
