// Test helper: runs inference-sim as a real child process (simExecutable) and finds its URL on stdout.
import { type ChildProcess, spawn } from 'node:child_process';
import { simExecutable } from '../../../src/runtimes/adapters/sim-executable.js';

/** A running (or finished) simulator process. */
export interface SimProcess {
  child: ChildProcess;
  /** Base URL once the listening line was printed; undefined when it exited first. */
  url: string | undefined;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the simulator with `args` and resolves once it listens or exits. */
export async function spawnSim(args: string[]): Promise<SimProcess> {
  const { command, args: lead } = simExecutable();
  const child = spawn(command, [...lead, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string | undefined>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /inference-sim listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exit.then(() => resolve(undefined));
  });
  return {
    child,
    url,
    exit,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** Polls `url` until it answers `status` (or the deadline passes); returns the statuses seen. */
export async function waitForStatus(url: string, status: number, timeoutMs = 20_000): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      seen.push(res.status);
      if (res.status === status) return seen;
    } catch {
      seen.push(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return seen;
}

/** POSTs JSON and returns status, headers and text. */
export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
