// Runs a script of examples/ as written, in its own process; the `inference-autotuner-source` export condition
// resolves the package to src/, so no build is needed first.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** Outcome of one example run. */
export interface ExampleRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertion messages. */
  output: string;
}

/** The current environment with `overrides` on top. */
export function exampleEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/**
 * Runs `examples/<file>` with tsx from the repository root. After `timeoutMs` the example gets SIGTERM (its
 * study tears its servers down), then SIGKILL 15 s later; the promise settles when the process has exited.
 */
export function runExample(file: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ExampleRun> {
  const args = ['--conditions=inference-autotuner-source', '--import', TSX_LOADER, `examples/${file}`];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let killTimer: NodeJS.Timeout | undefined;
  const termTimer = setTimeout(() => {
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(termTimer);
      clearTimeout(killTimer);
      resolve({ exitCode, signal, stdout, stderr, output: `${stdout}\n${stderr}` });
    });
  });
}
