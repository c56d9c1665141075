// Docker test prerequisites: is a daemon reachable, and are the test images built (built once, then reused).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { it } from 'vitest';
import { LABEL_KEYS, MANAGED_BY } from '../../../src/controllers/labels.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Test image with node, the fixture server and (once it exists) the inference-sim bundle. */
export const SIM_IMAGE = 'inference-autotuner/sim:test';
/** Test image with Debian sid's llama-server. */
export const LLAMA_IMAGE = 'inference-autotuner/llama-server:test';

/** Whether the Docker tests can run here, and why not. */
export interface DockerAvailability {
  available: boolean;
  reason: string;
}

/** Pings the daemon (DOCKER_HOST or the local socket). */
export async function dockerAvailability(): Promise<DockerAvailability> {
  try {
    await new Docker().ping();
    return { available: true, reason: '' };
  } catch (error) {
    return { available: false, reason: `no Docker engine reachable (${(error as Error).message})` };
  }
}

/** True on CI, where a missing Docker engine is a failure, not a skip. */
export const onCi = process.env['CI'] === 'true' || process.env['CI'] === '1';

/**
 * Returns true when the Docker tests should run. Outside CI a missing daemon prints the reason and the
 * suite is skipped; on CI it registers a failing test instead, so a broken setup cannot pass silently.
 */
export async function requireDocker(suite: string): Promise<boolean> {
  const { available, reason } = await dockerAvailability();
  if (available) return true;
  if (onCi) {
    it(`${suite}: Docker engine is available (required when CI=true)`, () => {
      throw new Error(`${reason}; .ci/setup.d/10-docker.sh should have started dockerd`);
    });
  } else {
    console.warn(`[skip] ${suite}: ${reason}`);
    it.skip(`${suite}: ${reason}`, () => {});
  }
  return false;
}

/** Builds a test image with its script under scripts/images when missing or stale (each script is idempotent). */
export async function ensureTestImage(which: 'sim' | 'llama-server'): Promise<string> {
  const script = path.join(REPO, 'scripts/images', `build-${which}-image.sh`);
  await run('bash', [script], { cwd: REPO, timeout: 540_000, maxBuffer: 8 * 1024 * 1024 });
  return which === 'sim' ? SIM_IMAGE : LLAMA_IMAGE;
}

/** Names of containers this library started whose study id starts with `studyPrefix` (running or not). */
export async function managedContainers(studyPrefix: string): Promise<string[]> {
  const list = await new Docker().listContainers({
    all: true,
    filters: { label: [`${LABEL_KEYS.managedBy}=${MANAGED_BY}`] },
  });
  return list
    .filter((c) => (c.Labels[LABEL_KEYS.study] ?? '').startsWith(studyPrefix))
    .map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}
