// Port-forward of the fake Kubernetes API server: the `portforward` subresource over a WebSocket with the
// `v4.channel.k8s.io` framing the real API server speaks (a channel byte before every frame; the first frame of each
// port's data and error channel carries the port number), tunnelled to the pod's own address.
import type http from 'node:http';
import net from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

const ROUTE = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/;
const PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];

/** Serves port-forward upgrades of `server` to the pod IPs `podIp` resolves; returns how many tunnels it opened. */
export function servePortForward(
  server: http.Server,
  podIp: (namespace: string, pod: string) => string | undefined,
): { tunnels: () => number; close: () => void } {
  let tunnels = 0;
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = ROUTE.exec(url.pathname);
    const ip = match ? podIp(match[1] as string, match[2] as string) : undefined;
    const port = Number(url.searchParams.get('ports'));
    if (!ip || !Number.isInteger(port) || port < 1) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      tunnels += 1;
      tunnel(ws, ip, port);
    });
  });
  return { tunnels: () => tunnels, close: () => wss.close() };
}

function tunnel(ws: WebSocket, ip: string, port: number): void {
  const portBytes = Buffer.from([port & 0xff, port >> 8]);
  const frame = (channel: number, data: Buffer) => Buffer.concat([Buffer.from([channel]), data]);
  ws.send(frame(0, portBytes));
  ws.send(frame(1, portBytes));
  const target = net.connect(port, ip);
  target.on('data', (chunk: Buffer) => ws.send(frame(0, chunk)));
  target.on('error', (error) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(1, Buffer.from(error.message)));
    ws.close();
  });
  target.on('close', () => ws.close());
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0 && data.length > 1) target.write(data.subarray(1));
  });
  ws.on('close', () => target.destroy());
}
