// Starts the kill-study child (one node process, no wrapper) and SIGKILLs it when an event matches.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { KillStudyJob } from './kill-study-evaluator.js';

/** An event line printed by the child (trial-finished / trial-failed are cut down to number and state). */
export type ChildEvent = { type: string; trial?: number; [key: string]: unknown };

/** What happened to the child. */
export interface KilledChild {
  events: ChildEvent[];
  signal: NodeJS.Signals | null;
  exitCode: number | null;
  stderr: string;
}

const script = fileURLToPath(new URL('./kill-study-child.ts', import.meta.url));

/** Runs the job in a child process and SIGKILLs it as soon as `killWhen` holds for an event. */
export async function runAndKill(
  job: KillStudyJob,
  killWhen: (event: ChildEvent, seen: readonly ChildEvent[]) => boolean,
  timeoutMs = 120_000,
): Promise<KilledChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(job)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ChildEvent[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return;
    }
    // Logger lines share stdout; events are the objects with a string `type`.
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as ChildEvent).type !== 'string')
      return;
    const event = parsed as ChildEvent;
    events.push(event);
    if (child.exitCode === null && child.signalCode === null && killWhen(event, events))
      child.kill('SIGKILL');
  });
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (code, sig) => resolve([code, sig])),
  );
  clearTimeout(timer);
  lines.close();
  return { events, signal, exitCode, stderr };
}
