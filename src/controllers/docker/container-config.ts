// Pure translation of a LaunchSpec into a Docker create-container request (no I/O, unit-tested).
import type Docker from 'dockerode';
import { InvalidArgumentError, InvalidOptionError } from '../../errors.js';
import type { GpuInfo } from '../../gpu/gpu-info.js';
import { engineEnv } from '../env.js';
import { serverLabels } from '../labels.js';
import { containerCommand } from '../server-argv.js';
import type { LaunchSpec, VolumeMount } from '../types.js';
import type { ResolvedDockerOptions } from './docker-options.js';

/** Where the engine listens for one launch attempt. */
export interface ListenPlan {
  /** Port inside the container (bridge) or on the host (host network). */
  port: number;
  /** Address the engine binds to. */
  host: string;
}

/** Docker DeviceRequests for leased GPUs: one request naming each GPU by UUID or index (MIG by UUID). */
export function gpuDeviceRequests(
  gpus: readonly GpuInfo[],
  identifier: 'uuid' | 'index',
  driver: string,
): Docker.DeviceRequest[] {
  if (gpus.length === 0) return [];
  const ids = gpus.map((gpu) => (identifier === 'uuid' || gpu.mig ? gpu.uuid : String(gpu.index)));
  return [{ Driver: driver, DeviceIDs: ids, Capabilities: [['gpu']] }];
}

/** The spec's volumes plus the HF cache; two mounts on one container path are refused. */
export function containerMounts(
  volumes: readonly VolumeMount[],
  hfCache: ResolvedDockerOptions['hfCache'],
): Docker.MountSettings[] {
  const all = [...volumes];
  if (hfCache && !all.some((v) => v.containerPath === hfCache.containerPath)) {
    all.push({ hostPath: hfCache.hostPath, containerPath: hfCache.containerPath });
  }
  const seen = new Set<string>();
  return all.map((volume, index) => {
    if (!volume.hostPath.startsWith('/')) {
      throw new InvalidOptionError(`volumes[${index}].hostPath`, volume.hostPath, 'an absolute host path');
    }
    if (seen.has(volume.containerPath)) {
      throw new InvalidOptionError(
        `volumes[${index}].containerPath`,
        volume.containerPath,
        'a path not mounted twice',
      );
    }
    seen.add(volume.containerPath);
    return {
      Type: 'bind',
      Source: volume.hostPath,
      Target: volume.containerPath,
      ReadOnly: volume.readOnly ?? false,
    };
  });
}

/** Where the engine listens: the spec's container port on all interfaces (bridge) or a host port (host network). */
export function listenPlan(spec: LaunchSpec, options: ResolvedDockerOptions, hostPort?: number): ListenPlan {
  if (options.network === 'host') {
    if (hostPort === undefined)
      throw new InvalidArgumentError('hostPort', hostPort, 'a host port when the network is host');
    return { port: hostPort, host: options.hostIp };
  }
  return { port: containerCommand(spec).port, host: '0.0.0.0' };
}

/** The create-container request for one launch attempt. */
export function containerCreateOptions(
  spec: LaunchSpec,
  options: ResolvedDockerOptions,
  name: string,
  plan: ListenPlan,
): Docker.ContainerCreateOptions {
  if (!spec.image) throw new InvalidOptionError('spec.image', spec.image, 'a container image name');
  const { entrypoint, cmd } = containerCommand({ ...spec, containerPort: plan.port }, plan.host);
  // Docker maps the leased devices into the container, where they are renumbered from 0.
  const { env, secretEnv } = engineEnv(spec, { cudaVisibleDevices: false });
  const portKey = `${plan.port}/tcp`;
  const bridge = options.network === 'bridge';
  const hostConfig: Docker.HostConfig = {
    NetworkMode: options.network,
    Mounts: containerMounts(spec.volumes ?? [], options.hfCache),
    Init: options.init,
  };
  if (bridge) hostConfig.PortBindings = { [portKey]: [{ HostIp: options.hostIp, HostPort: '' }] };
  if (spec.shmSizeBytes !== undefined) hostConfig.ShmSize = spec.shmSizeBytes;
  if (spec.ipcMode !== undefined) hostConfig.IpcMode = spec.ipcMode;
  const deviceRequests = gpuDeviceRequests(spec.gpus, options.gpuIdentifier, options.gpuDriver);
  if (deviceRequests.length > 0) hostConfig.DeviceRequests = deviceRequests;
  const create: Docker.ContainerCreateOptions = {
    name,
    Image: spec.image,
    Cmd: cmd,
    Env: Object.entries({ ...env, ...secretEnv }).map(([key, value]) => `${key}=${value}`),
    Labels: serverLabels({
      studyId: spec.studyId,
      trialId: spec.trialId,
      runtime: spec.runtime,
      extra: spec.labels,
    }),
    HostConfig: hostConfig,
    Tty: false,
    AttachStdout: false,
    AttachStderr: false,
  };
  if (entrypoint) create.Entrypoint = entrypoint;
  if (bridge) create.ExposedPorts = { [portKey]: {} };
  return create;
}
