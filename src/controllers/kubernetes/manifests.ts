// Kubernetes objects for one engine server: Pod or Deployment, Service, and a Secret for secret env.

import type {
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1Pod,
  V1PodSpec,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';
import { LaunchError } from '../../errors.js';
import { engineEnv } from '../env.js';
import { containerCommand } from '../server-argv.js';
import type { LaunchSpec } from '../types.js';
import {
  gpuRequest,
  gpuResources,
  type PodTemplateOptions,
  podPlacement,
  podStorage,
} from './pod-template.js';

/** Label naming the server an object belongs to (selector of its Service and Deployment). */
export const SERVER_LABEL = 'inference-autotuner.io/server';

/** Placement and wiring options that shape the manifests. */
export interface ManifestOptions extends PodTemplateOptions {
  namespace: string;
  workload: 'pod' | 'deployment';
  /** Existing Secret holding the HF token, exported as HF_TOKEN and HUGGING_FACE_HUB_TOKEN. */
  hfTokenSecret?: { name: string; key: string };
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Address the engine binds to; `$(POD_IP)` is expanded by the kubelet. */
  bindAddress: string;
  terminationGracePeriodSeconds: number;
  serviceAccountName?: string;
}

/** The objects to create for one server. */
export interface ServerManifests {
  workload: V1Pod | V1Deployment;
  service: V1Service;
  secret: V1Secret | undefined;
  port: number;
}

const HF_KEYS = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'];

/** Builds the manifests of server `name` (already a valid DNS-1035 label) with `labels` on everything. */
export function buildManifests(
  spec: LaunchSpec,
  name: string,
  labels: Record<string, string>,
  options: ManifestOptions,
): ServerManifests {
  if (!spec.image)
    throw new LaunchError(`Launch spec of trial ${spec.trialId} has no image; Kubernetes needs one`);
  const allLabels = { ...labels, [SERVER_LABEL]: name };
  // Host proxies and HF token from the tuner's environment are not exported into the cluster implicitly.
  const { env, secretEnv } = engineEnv(spec, { hostEnv: {}, cudaVisibleDevices: false });
  const secretName = `${name}-env`;
  const envVars: V1EnvVar[] = [
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ...Object.entries(env).map(([key, value]) => ({ name: key, value })),
  ];
  const ownSecret = Object.keys(secretEnv).filter((key) => !(options.hfTokenSecret && HF_KEYS.includes(key)));
  for (const key of ownSecret)
    envVars.push({ name: key, valueFrom: { secretKeyRef: { name: secretName, key } } });
  if (options.hfTokenSecret) {
    for (const key of HF_KEYS)
      envVars.push({ name: key, valueFrom: { secretKeyRef: { ...options.hfTokenSecret } } });
  }
  const { entrypoint, cmd, port } = containerCommand(spec, options.bindAddress);
  const storage = podStorage(options, spec);
  const resources = gpuResources(options, gpuRequest(spec));
  const container: V1Container = {
    name: 'engine',
    image: spec.image,
    command: entrypoint ?? cmd,
    ...(entrypoint ? { args: cmd } : {}),
    env: [...envVars, ...storage.env],
    ports: [{ name: 'http', containerPort: port }],
    ...(options.imagePullPolicy ? { imagePullPolicy: options.imagePullPolicy } : {}),
    ...(resources ? { resources } : {}),
    ...(storage.mounts.length > 0 ? { volumeMounts: storage.mounts } : {}),
  };
  // Host IPC (Docker's --ipc=host for vLLM) is a privileged pod setting; a memory-backed /dev/shm does its job.
  const podSpec: V1PodSpec = {
    containers: [container],
    restartPolicy: options.workload === 'pod' ? 'Never' : 'Always',
    ...podPlacement(options, spec.node),
    terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
    ...(options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : {}),
    ...(storage.volumes.length > 0 ? { volumes: storage.volumes } : {}),
  };
  const metadata = { name, namespace: options.namespace, labels: allLabels };
  const workload: V1Pod | V1Deployment =
    options.workload === 'pod'
      ? { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec }
      : {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata,
          spec: {
            replicas: 1,
            selector: { matchLabels: { [SERVER_LABEL]: name } },
            template: { metadata: { labels: allLabels }, spec: podSpec },
          },
        };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { selector: { [SERVER_LABEL]: name }, ports: [{ name: 'http', port, targetPort: port }] },
  };
  const secret: V1Secret | undefined =
    ownSecret.length > 0
      ? {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { ...metadata, name: secretName },
          type: 'Opaque',
          data: Object.fromEntries(
            ownSecret.map((key) => [key, Buffer.from(secretEnv[key] ?? '').toString('base64')]),
          ),
        }
      : undefined;
  return { workload, service, secret, port };
}
