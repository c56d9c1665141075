// Starts bench/loadgen/fast-server.ts as a child process and returns its URL and a stop function.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A running fast server child process. */
export interface FastServer {
  url: string;
  stop(): Promise<void>;
}

/** Spawns the fast server (through tsx) and waits for its port. */
export async function spawnFastServer(): Promise<FastServer> {
  const file = fileURLToPath(new URL('./fast-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
