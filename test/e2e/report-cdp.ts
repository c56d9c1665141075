// A small Chrome DevTools Protocol client for the report's browser test: launches Debian's headless
// Chromium, opens one page, evaluates scripts, collects console errors and takes screenshots.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: unknown;
  error?: { message: string };
};

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Flags for a quiet, isolated headless run. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--window-size=1280,1000',
  '--remote-debugging-port=0',
];

/** A launched headless Chromium with one attached page. */
export class HeadlessPage implements AsyncDisposable {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(message: Message) => void>();
  private sessionId: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profileDir: string,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else {
        for (const listener of this.listeners) listener(message);
      }
    });
  }

  /** Starts Chromium and attaches to a blank page. */
  static async launch(executablePath: string, timeoutMs = 30_000): Promise<HeadlessPage> {
    const profileDir = await mkdtemp(join(tmpdir(), 'report-chromium-'));
    const child = spawn(executablePath, [...CHROMIUM_FLAGS, `--user-data-dir=${profileDir}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Own process group: a forced stop also takes the renderer and zygote processes.
      detached: true,
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        const timer = setTimeout(
          () => reject(new Error(`no DevTools URL after ${timeoutMs} ms:\n${stderr}`)),
          timeoutMs,
        );
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`chromium exited with ${code}:\n${stderr}`));
        });
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      child.stderr?.resume();
      const socket = new WebSocket(url, { perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const page = new HeadlessPage(child, socket, profileDir);
      const { targetId } = (await page.send('Target.createTarget', { url: 'about:blank' })) as {
        targetId: string;
      };
      const { sessionId } = (await page.send('Target.attachToTarget', { targetId, flatten: true })) as {
        sessionId: string;
      };
      page.sessionId = sessionId;
      return page;
    } catch (error) {
      killGroup(child);
      await rm(profileDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Sends a command (to the page session once attached) and waits for its result. */
  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(
        JSON.stringify({ id, method, params, ...(this.sessionId ? { sessionId: this.sessionId } : {}) }),
      );
    });
  }

  /** Calls `listener` for every event of the page session. */
  onEvent(listener: (method: string, params: Record<string, unknown>) => void): void {
    this.listeners.add((m) => {
      if (m.method && m.sessionId === this.sessionId) listener(m.method, m.params ?? {});
    });
  }

  /** Resolves at the next event named `method`. */
  waitFor(method: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      const listener = (m: Message) => {
        if (m.method === method && m.sessionId === this.sessionId) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(m.params ?? {});
        }
      };
      this.listeners.add(listener);
    });
  }

  /** Evaluates an expression in the page and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = (await this.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    })) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (reply.exceptionDetails) {
      throw new Error(reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text);
    }
    return reply.result.value;
  }

  /** A PNG of the whole page. */
  async screenshot(): Promise<Buffer> {
    const metrics = (await this.send('Page.getLayoutMetrics')) as {
      cssContentSize: { width: number; height: number };
    };
    const { width, height } = metrics.cssContentSize;
    const shot = (await this.send('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: Math.ceil(width), height: Math.min(Math.ceil(height), 16_000), scale: 1 },
    })) as { data: string };
    return Buffer.from(shot.data, 'base64');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const exited = new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve(undefined);
      else this.child.once('exit', resolve);
    });
    this.sessionId = undefined;
    await Promise.race([this.send('Browser.close').catch(() => undefined), sleep(2_000)]);
    this.socket.terminate();
    const timer = setTimeout(() => killGroup(this.child), 5_000);
    await exited;
    clearTimeout(timer);
    for (const waiter of this.pending.values()) waiter.reject(new Error('browser closed'));
    this.pending.clear();
    await rm(this.profileDir, { recursive: true, force: true });
  }
}
