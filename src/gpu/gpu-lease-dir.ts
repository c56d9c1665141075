// Where host GPU leases live unless a study says otherwise.
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Environment variable naming the host's GPU lease directory (a study's `gpuLeases.dir` goes first). */
export const GPU_LEASES_DIR_ENV = 'AUTOTUNE_GPU_LEASES_DIR';

/**
 * The host's GPU lease directory: `$AUTOTUNE_GPU_LEASES_DIR`, else `<os temp dir>/inference-autotuner/gpu-leases`.
 * The temporary directory rather than a per-user runtime directory, so that studies of different users on one
 * host see each other's leases.
 */
export function defaultGpuLeaseDir(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[GPU_LEASES_DIR_ENV];
  return named !== undefined && named !== ''
    ? named
    : path.join(tmpdir(), 'inference-autotuner', 'gpu-leases');
}
