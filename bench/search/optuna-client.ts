// Talks to optuna_driver.py (Debian's python3-optuna under /usr/bin/python3) over a JSON-lines pipe.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SearchSpace } from '../../src/search/param-spec.js';
import type { Params } from '../../src/search/trial.js';

/** One long-lived Python process serving many Optuna studies. */
export class OptunaClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor() {
    const script = fileURLToPath(new URL('./optuna_driver.py', import.meta.url));
    this.child = spawn('/usr/bin/python3', [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
  }

  private request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const answer = JSON.parse(line) as Record<string, unknown>;
        if (answer.error) reject(new Error(String(answer.error)));
        else resolve(answer);
      });
      this.child.stdin.write(`${JSON.stringify(body)}\n`);
    });
  }

  async create(id: string, space: SearchSpace, seed: number, startup: number | null): Promise<void> {
    await this.request({ op: 'create', id, seed, startup, params: space.params });
  }

  async ask(id: string): Promise<Params> {
    return (await this.request({ op: 'ask', id })).params as Params;
  }

  async tell(id: string, state: 'complete' | 'fail', value?: number, constraints?: number[]): Promise<void> {
    await this.request({ op: 'tell', id, state, value, constraints });
  }

  async drop(id: string): Promise<void> {
    await this.request({ op: 'drop', id });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin.end();
    });
  }
}
