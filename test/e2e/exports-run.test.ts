// The "run the winner" outputs of a simulated study run as printed: the argv line starts the package's own
// inference-sim from a checkout (after `npm run build`), and the `docker run` line of a study that ran in
// Docker starts a healthy container without asking for a GPU. Each line is split into words without a shell.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { shellSplit } from '../../src/deploy/shell-quote.js';
import { SIM_HOST_COMMAND } from '../../src/runtimes/adapters/sim-executable.js';
import { study, tune } from '../../src/tune/study.js';
import { createLogger } from '../../src/util/logger.js';
import {
  ensureTestImage,
  managedContainers,
  onCi,
  requireDocker,
  SIM_IMAGE,
} from '../integration/docker/docker-env.js';
import { validateObject } from '../support/fake-k8s-validate.js';
import { scratchDir } from '../support/scratch-dir.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const builtSim = join(root, 'dist/cli/inference-sim.js');
const quiet = createLogger({ level: 'silent' });

const dir = scratchDir('exports-run-');

// Polls `url` until it answers 200; a busy machine gets a wide bound.
async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms (${last})`);
}

async function modelIds(base: string): Promise<string[]> {
  const response = await fetch(`${base}/v1/models`, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { data: Array<{ id: string }> };
  return body.data.map((m) => m.id);
}

// True while any process of the group led by `pid` is alive.
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

// SIGTERM to the whole group (npx, its shell, the simulator), SIGKILL after 15 s; resolves once none is left.
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !groupAlive(pid)) return;
  process.kill(-pid, 'SIGTERM');
  for (let waited = 0; groupAlive(pid) && waited < 15_000; waited += 100) await sleep(100);
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  while (groupAlive(pid)) await sleep(100);
}

const simStudy = {
  runtime: 'sim',
  model: 'llama-3.1-8b',
  sim: { gpu: 'a100-40gb' },
  fixedParams: { 'max-model-len': 4096 },
  space: { 'max-num-seqs': [16, 32, 64], 'enable-chunked-prefill': [true, false] },
  workload: { kind: 'synthetic' as const, inputTokens: 128, outputTokens: 32 },
  load: { kind: 'concurrency' as const, levels: [16] },
  strategy: 'random' as const,
  seed: 5,
};

const built = existsSync(builtSim);
if (!built && onCi) {
  it('the argv export: dist/cli/inference-sim.js exists (CI builds before testing)', () => {
    throw new Error(`${builtSim} is missing; run npm run build`);
  });
} else if (!built) {
  console.warn(`[skip] the argv export of a simulated study: ${builtSim} is missing (npm run build)`);
  it.skip('the argv export of a simulated study: run npm run build first', () => {});
} else {
  describe('the argv export of a simulated study', () => {
    it('starts the package bin through npx from a checkout and serves the model', async () => {
      // The analytic mode gives the same exports as a launched study, in a second.
      const result = await tune(
        { ...simStudy, name: 'exports-argv', budget: { maxTrials: 3 }, journal: join(dir(), 'argv.jsonl') },
        { mode: 'estimate', logger: quiet },
      );
      const words = shellSplit(result.best?.exports.argv ?? '');
      expect(words.slice(0, SIM_HOST_COMMAND.length)).toEqual([...SIM_HOST_COMMAND]);
      // The only change to the exported line: port 0 instead of 8000, so the OS picks a free port and the
      // simulator prints it.
      const port = words.indexOf('--port');
      expect(words.slice(port)).toEqual(['--port', '8000']);
      words[port + 1] = '0';

      const [command = '', ...args] = words;
      const child = spawn(command, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      child.on('error', (error) => {
        output += `spawn failed: ${error.message}`;
      });
      try {
        let listening: RegExpExecArray | null = null;
        for (let waited = 0; !listening && waited < 90_000; waited += 100) {
          listening = /inference-sim listening on http:\/\/[^\s]+:(\d+)/.exec(output);
          if (child.exitCode !== null || output.includes('spawn failed')) break;
          if (!listening) await sleep(100);
        }
        expect(listening, output).not.toBeNull();
        const base = `http://127.0.0.1:${listening?.[1]}`;
        // The simulated model load of an 8B model takes about 16 s at time scale 1.
        await waitHealthy(`${base}/health`, 120_000);
        expect(await modelIds(base)).toContain('llama-3.1-8b');
      } finally {
        await stopGroup(child);
      }
      expect(groupAlive(child.pid ?? 0)).toBe(false);
    }, 240_000);
  });
}

const docker = await requireDocker('the docker run export of a simulated study');
if (docker) {
  describe('the docker run export of a simulated study that ran in Docker', () => {
    const name = `exports-docker-${process.pid}`;
    const container = `exports-run-${process.pid}`;

    beforeAll(async () => {
      await ensureTestImage('sim');
    }, 600_000);

    afterAll(async () => {
      // Removed in the test's finally; this catches a test that failed before it.
      await run('docker', ['rm', '-f', container]).catch(() => undefined);
    });

    it('starts a healthy container without a GPU request; compose and manifest request none either', async () => {
      const running = study(
        {
          ...simStudy,
          name,
          controller: { kind: 'docker' },
          sim: { gpu: 'a100-40gb', timeScale: 20 },
          benchmark: { requests: 20, warmupRequests: 2 },
          budget: { maxTrials: 2 },
          confirm: { top: 0, repeats: 0 },
          timeouts: { startupMs: 120_000, trialMs: 300_000 },
          journal: join(dir(), 'docker.jsonl'),
        },
        { logger: quiet },
      );
      const result = await running.result;
      expect(await managedContainers(name)).toEqual([]);
      const exports = result.best?.exports;
      expect(exports).toBeDefined();

      const words = shellSplit(exports?.dockerRun ?? '');
      expect(words.slice(0, 2)).toEqual(['docker', 'run']);
      expect(words).not.toContain('--gpus');
      expect(words).toContain(SIM_IMAGE);
      // The only changes to the exported line: a name of this test, and a free loopback port of the host's
      // choosing instead of 8000.
      const nameAt = words.indexOf('--name');
      const portAt = words.indexOf('-p');
      expect(words.slice(nameAt, nameAt + 2)).toEqual(['--name', 'llm-server']);
      expect(words.slice(portAt, portAt + 2)).toEqual(['-p', '8000:8000']);
      words[nameAt + 1] = container;
      words[portAt + 1] = '127.0.0.1::8000';

      try {
        await run(words[0] ?? 'docker', words.slice(1), { timeout: 120_000 });
        const { stdout } = await run('docker', ['port', container, '8000/tcp']);
        const hostPort = /:(\d+)\s*$/m.exec(stdout)?.[1];
        expect(hostPort, stdout).toBeDefined();
        const base = `http://127.0.0.1:${hostPort}`;
        await waitHealthy(`${base}/health`, 120_000);
        expect(await modelIds(base)).toContain('llama-3.1-8b');
      } finally {
        await run('docker', ['rm', '-f', container]).catch(() => undefined);
      }
      await expect(run('docker', ['inspect', container])).rejects.toThrow();

      const service = (parse(exports?.compose ?? '') as { services: Record<string, Record<string, unknown>> })
        .services['llm-server'];
      expect(service?.['image']).toBe(SIM_IMAGE);
      expect(service?.['deploy']).toBeUndefined();
      const docs = parseAllDocuments(exports?.kubernetes ?? '').map(
        (d) => d.toJS() as Record<string, unknown>,
      );
      expect(docs.map((d) => d['kind'])).toEqual(['Deployment', 'Service']);
      expect(docs.flatMap((d) => validateObject(String(d['kind']), d))).toEqual([]);
      expect(exports?.kubernetes).not.toContain('nvidia.com/gpu');
      expect(exports?.kubernetes).toContain(`image: ${SIM_IMAGE}`);
    }, 480_000);
  });
}
