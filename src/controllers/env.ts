// Engine environment shared by all controllers: HF token, proxies, CUDA_VISIBLE_DEVICES; secrets registered for redaction.
import type { GpuInfo } from '../gpu/gpu-info.js';
import { registerSecret } from '../util/redact.js';
import type { LaunchSpec } from './types.js';

/** Host variables passed through to every engine when set (proxies, in both spellings). */
export const PROXY_ENV_KEYS: readonly string[] = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** Names under which engines read the Hugging Face token. */
export const HF_TOKEN_ENV_KEYS: readonly string[] = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'];

/** The environment of one engine server, split into plain and secret variables. */
export interface EngineEnv {
  env: Record<string, string>;
  secretEnv: Record<string, string>;
}

/** Options of `engineEnv`. */
export interface EngineEnvOptions {
  /** Environment to take proxies and the HF token from. @default process.env */
  hostEnv?: NodeJS.ProcessEnv;
  /** Set CUDA_VISIBLE_DEVICES from the leased GPUs (off when a container runtime maps devices itself). @default true */
  cudaVisibleDevices?: boolean;
}

/** CUDA_VISIBLE_DEVICES value for a GPU lease: indices, or UUIDs for MIG instances. */
export function cudaVisibleDevices(gpus: readonly GpuInfo[]): string {
  return gpus.map((gpu) => (gpu.mig ? gpu.uuid : String(gpu.index))).join(',');
}

/**
 * Builds the environment of an engine: host proxies, the spec's variables, the HF token (from the
 * spec's secrets or the host, exported under both names) and CUDA_VISIBLE_DEVICES. Every secret
 * value is registered so that log lines and errors redact it.
 */
export function engineEnv(spec: LaunchSpec, options: EngineEnvOptions = {}): EngineEnv {
  const host = options.hostEnv ?? process.env;
  const env: Record<string, string> = {};
  for (const key of PROXY_ENV_KEYS) {
    const value = host[key];
    if (value !== undefined && value !== '') {
      env[key] = value;
      registerProxyPassword(value);
    }
  }
  Object.assign(env, spec.env);
  const secretEnv: Record<string, string> = { ...(spec.secretEnv ?? {}) };
  const token =
    HF_TOKEN_ENV_KEYS.map((key) => secretEnv[key] ?? spec.env[key]).find((v) => v) ??
    HF_TOKEN_ENV_KEYS.map((key) => host[key]).find((v) => v);
  if (token) {
    for (const key of HF_TOKEN_ENV_KEYS) {
      secretEnv[key] = token;
      delete env[key];
    }
  }
  if ((options.cudaVisibleDevices ?? true) && spec.gpus.length > 0) {
    env['CUDA_VISIBLE_DEVICES'] = cudaVisibleDevices(spec.gpus);
  }
  for (const value of Object.values(secretEnv)) registerSecret(value);
  return { env, secretEnv };
}

// A proxy URL may carry credentials (http://user:pass@proxy:3128): the password must never reach a log.
function registerProxyPassword(value: string): void {
  try {
    const url = new URL(value);
    if (url.password) registerSecret(decodeURIComponent(url.password));
  } catch {
    // Not a URL (NO_PROXY lists): nothing secret to register.
  }
}
