// How the tuner reaches a pod's HTTP port: directly (pod IP or Service DNS, inside the cluster) or through
// a local port-forward (outside it).
import net from 'node:net';
import { type KubeConfig, PortForward } from '@kubernetes/client-node';
import type { EndpointVia } from '../types.js';

/** `pod-ip`: http://<podIP>:<port>; `service`: the Service's cluster DNS name; `port-forward`: a local tunnel. */
export type EndpointMode = EndpointVia;

/** A reachable base URL and how to release it. */
export interface PodEndpoint {
  url: string;
  close(): Promise<void>;
}

/** True when this process runs inside a Kubernetes pod. */
export function insideCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env['KUBERNETES_SERVICE_HOST']);
}

/** Opens the endpoint of a running pod. */
export async function openEndpoint(
  mode: EndpointMode,
  target: {
    kubeConfig: KubeConfig;
    namespace: string;
    podName: string;
    podIP: string;
    serviceName: string;
    port: number;
  },
): Promise<PodEndpoint> {
  if (mode === 'pod-ip') {
    const host = target.podIP.includes(':') ? `[${target.podIP}]` : target.podIP;
    return { url: `http://${host}:${target.port}`, close: async () => {} };
  }
  if (mode === 'service') {
    return {
      url: `http://${target.serviceName}.${target.namespace}.svc:${target.port}`,
      close: async () => {},
    };
  }
  const forward = new PortForward(target.kubeConfig);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    forward
      .portForward(target.namespace, target.podName, [target.port], socket, null, socket)
      .then((ws) => {
        // The tunnel lives as long as the local connection.
        socket.once('close', () => (typeof ws === 'function' ? ws() : ws)?.close());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
