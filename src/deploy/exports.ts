// Ready-to-run forms of a configuration: argv line, `docker run`, compose file and Kubernetes manifest. Devices
// are requested only for the GPUs the spec holds (none for a CPU engine or the simulator); a spec without an
// image gets a placeholder that a comment line names as one.
import { stringify } from 'yaml';
import {
  gpuRequest,
  gpuResources,
  type PodTemplateOptions,
  podPlacement,
  podStorage,
} from '../controllers/kubernetes/pod-template.js';
import { containerCommand as containerArgv, serverArgs } from '../controllers/server-argv.js';
import type { LaunchSpec } from '../controllers/types.js';
import { redactText, SECRET_KEY_PATTERN } from '../util/redact.js';
import { shellJoin } from './shell-quote.js';

/** Options shared by the exports. */
export interface ExportOptions {
  /** Port to publish / listen on. @default 8000 */
  port?: number;
  /** Name of the service, container and Deployment. @default 'llm-server' */
  name?: string;
  /** Kubernetes namespace. @default 'default' */
  namespace?: string;
  /** Kubernetes Secret holding the secret env values (one key per variable). @default 'hf-token' */
  secretName?: string;
  /**
   * Where and how the Kubernetes Deployment runs, as the study's Kubernetes controller ran its trials: node
   * selector, affinity, tolerations, GPU resource and product, model cache, /dev/shm, HF token Secret.
   * @default none: GPUs as `nvidia.com/gpu`, the runtime's /dev/shm
   */
  kubernetes?: KubernetesExportOptions;
  /**
   * Where to get an image, said beside the `<IMAGE>` placeholder the container exports show when the spec names
   * no image. @default a generic request for an image that runs the engine
   */
  imageHint?: string;
}

/** The Kubernetes controller's settings that shape an exported Deployment (each as the controller's option). */
export interface KubernetesExportOptions extends Partial<PodTemplateOptions> {
  /** Existing Secret with the Hugging Face token: HF_TOKEN and HUGGING_FACE_HUB_TOKEN reference it. */
  hfTokenSecret?: { name: string; key: string } | undefined;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never' | undefined;
  serviceAccountName?: string | undefined;
}

const HF_TOKEN_KEYS = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'];

/** What the container exports name when the spec has no image: the reader must replace it. */
export const IMAGE_PLACEHOLDER = '<IMAGE>';

/** Every export of one configuration. */
export interface ConfigExports {
  argv: string;
  dockerRun: string;
  compose: string;
  kubernetes: string;
}

// Secret values never appear: they are referenced by variable name only.
// Plain env entries whose names say they are secret (HF_TOKEN, *_API_KEY, ...) are treated as secrets too.
function secretNames(spec: LaunchSpec): string[] {
  const named = Object.keys(spec.env).filter((key) => SECRET_KEY_PATTERN.test(key));
  return [...new Set([...Object.keys(spec.secretEnv ?? {}), ...named])].sort();
}

function plainEnv(spec: LaunchSpec, container: boolean): Array<[string, string]> {
  return Object.entries(spec.env)
    .filter(([key]) => !SECRET_KEY_PATTERN.test(key))
    .filter(([key]) => !(container && key === 'CUDA_VISIBLE_DEVICES'))
    .sort(([a], [b]) => a.localeCompare(b));
}

// The image, or the placeholder plus the comment that says it is one.
function imageOf(spec: LaunchSpec, options: ExportOptions): { image: string; note: string | undefined } {
  if (spec.image) return { image: spec.image, note: undefined };
  const runs = shellJoin(spec.entrypoint && spec.entrypoint.length > 0 ? spec.entrypoint : [spec.command]);
  const where = options.imageHint ? `build one with ${options.imageHint}` : `use an image that runs ${runs}`;
  return {
    image: IMAGE_PLACEHOLDER,
    note: `# ${IMAGE_PLACEHOLDER} is a placeholder: no published image is known for ${spec.runtime}; ${where}, and put its name there.`,
  };
}

// Kubernetes and compose readers accept YAML aliases, people reading the file do better without them.
function yaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false });
}

/** The command line that starts the engine directly on a host. */
export function exportArgv(spec: LaunchSpec, options: ExportOptions = {}): string {
  const env = plainEnv(spec, false).map(([k, v]) => `${k}=${v}`);
  const secrets = secretNames(spec).map((k) => `${k}="$${k}"`);
  // A container-target spec names its executable in the entrypoint (e.g. `inference-sim`, `vllm serve`).
  const executable = spec.entrypoint && spec.entrypoint.length > 0 ? spec.entrypoint : [spec.command];
  const command = shellJoin([...executable, ...serverArgs(spec, '0.0.0.0', options.port ?? 8000)]);
  return [...env.map((e) => shellJoin([e])), ...secrets, command].join(' ');
}

// The container's command (after the entrypoint, when there is one).
function containerCommand(spec: LaunchSpec): string[] {
  return containerArgv(spec).cmd;
}

function gpuDeviceList(spec: LaunchSpec): string {
  return spec.gpus.map((g) => g.uuid || String(g.index)).join(',');
}

/** A `docker run` command for the configuration. */
export function exportDockerRun(spec: LaunchSpec, options: ExportOptions = {}): string {
  const port = spec.containerPort ?? options.port ?? 8000;
  const words = ['docker', 'run', '-d', '--name', options.name ?? 'llm-server'];
  if (spec.gpus.length > 0) words.push('--gpus', `"device=${gpuDeviceList(spec)}"`);
  if (spec.ipcMode) words.push('--ipc', spec.ipcMode);
  if (spec.shmSizeBytes) words.push('--shm-size', `${Math.ceil(spec.shmSizeBytes / 2 ** 20)}m`);
  words.push('-p', `${options.port ?? 8000}:${port}`);
  for (const volume of spec.volumes ?? []) {
    words.push('-v', `${volume.hostPath}:${volume.containerPath}${volume.readOnly ? ':ro' : ''}`);
  }
  for (const [k, v] of plainEnv(spec, true)) words.push('-e', `${k}=${v}`);
  for (const k of secretNames(spec)) words.push('-e', k);
  if (spec.entrypoint) words.push('--entrypoint', spec.entrypoint[0] ?? '');
  const { image, note } = imageOf(spec, options);
  words.push(image);
  const tail = spec.entrypoint
    ? [...spec.entrypoint.slice(1), ...containerCommand(spec)]
    : containerCommand(spec);
  // --gpus takes a quoted device list; keep that quoting literal.
  const line = words
    .map((w) => (w.startsWith('"device=') ? `'${w}'` : shellJoin([w])))
    .concat(tail.length > 0 ? [shellJoin(tail)] : [])
    .join(' ');
  return note ? `${note}\n${line}` : line;
}

/** A Docker Compose file for the configuration. */
export function exportCompose(spec: LaunchSpec, options: ExportOptions = {}): string {
  const port = spec.containerPort ?? options.port ?? 8000;
  const name = options.name ?? 'llm-server';
  const { image, note } = imageOf(spec, options);
  const environment = Object.fromEntries([
    ...plainEnv(spec, true),
    ...secretNames(spec).map((k) => [k, `\${${k}}`]),
  ]);
  const service: Record<string, unknown> = {
    image,
    ...(spec.entrypoint ? { entrypoint: spec.entrypoint } : {}),
    command: containerCommand(spec),
    ports: [`${options.port ?? 8000}:${port}`],
    ...(Object.keys(environment).length > 0 ? { environment } : {}),
  };
  if (spec.ipcMode) service['ipc'] = spec.ipcMode;
  if (spec.shmSizeBytes) service['shm_size'] = `${Math.ceil(spec.shmSizeBytes / 2 ** 20)}m`;
  if (spec.volumes?.length) {
    service['volumes'] = spec.volumes.map(
      (v) => `${v.hostPath}:${v.containerPath}${v.readOnly ? ':ro' : ''}`,
    );
  }
  if (spec.gpus.length > 0) {
    service['deploy'] = {
      resources: {
        reservations: {
          devices: [
            {
              driver: 'nvidia',
              device_ids: spec.gpus.map((g) => g.uuid || String(g.index)),
              capabilities: ['gpu'],
            },
          ],
        },
      },
    };
  }
  const text = yaml({ services: { [name]: service } });
  return note ? `${note}\n${text}` : text;
}

/** A Kubernetes Deployment plus Service for the configuration, placed and wired as `options.kubernetes` says. */
export function exportKubernetes(spec: LaunchSpec, options: ExportOptions = {}): string {
  const port = spec.containerPort ?? options.port ?? 8000;
  const name = options.name ?? 'llm-server';
  const namespace = options.namespace ?? 'default';
  const k8s = options.kubernetes ?? {};
  const template: PodTemplateOptions = { ...k8s, gpuResource: k8s.gpuResource ?? 'nvidia.com/gpu' };
  const labels = { 'app.kubernetes.io/name': name };
  const tokenSecret = k8s.hfTokenSecret;
  const secretKeys = [
    ...secretNames(spec).filter((k) => !(tokenSecret && HF_TOKEN_KEYS.includes(k))),
    ...(tokenSecret ? HF_TOKEN_KEYS : []),
  ];
  const storage = podStorage(template, spec);
  const env = [
    ...plainEnv(spec, true).map(([k, v]) => ({ name: k, value: v })),
    ...storage.env,
    ...secretKeys.map((k) => ({
      name: k,
      valueFrom: {
        secretKeyRef:
          tokenSecret && HF_TOKEN_KEYS.includes(k)
            ? { ...tokenSecret }
            : { name: options.secretName ?? 'hf-token', key: k },
      },
    })),
  ];
  const command = containerCommand(spec);
  const { image, note } = imageOf(spec, options);
  // Only real GPUs are requested: a CPU engine or the simulator has none in its spec.
  const resources = gpuResources(template, gpuRequest(spec));
  const container: Record<string, unknown> = {
    name,
    image,
    ...(spec.entrypoint
      ? { command: spec.entrypoint, args: command }
      : { command: command.slice(0, 1), args: command.slice(1) }),
    ports: [{ containerPort: port, name: 'http' }],
    ...(env.length > 0 ? { env } : {}),
    ...(k8s.imagePullPolicy ? { imagePullPolicy: k8s.imagePullPolicy } : {}),
    ...(resources ? { resources } : {}),
    readinessProbe: { httpGet: { path: spec.readiness.path, port: 'http' }, periodSeconds: 5 },
    ...(storage.mounts.length > 0 ? { volumeMounts: storage.mounts } : {}),
  };
  const podSpec = {
    ...podPlacement(template),
    ...(k8s.serviceAccountName ? { serviceAccountName: k8s.serviceAccountName } : {}),
    containers: [container],
    ...(storage.volumes.length > 0 ? { volumes: storage.volumes } : {}),
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { selector: labels, ports: [{ name: 'http', port, targetPort: 'http' }] },
  };
  const text = `${yaml(deployment)}---\n${yaml(service)}`;
  return note ? `${note}\n${text}` : text;
}

/** All four exports at once. */
export function exportConfig(spec: LaunchSpec, options: ExportOptions = {}): ConfigExports {
  // Registered secrets (e.g. a token passed in a flag value) are scrubbed from every form as a last line.
  return {
    argv: redactText(exportArgv(spec, options)),
    dockerRun: redactText(exportDockerRun(spec, options)),
    compose: redactText(exportCompose(spec, options)),
    kubernetes: redactText(exportKubernetes(spec, options)),
  };
}
