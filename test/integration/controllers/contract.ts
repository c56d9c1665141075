// The one contract every controller passes (local, Docker, Kubernetes): launch, serve, stop, failures, cleanup.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Controller, LaunchSpec, ServerHandle } from '../../../src/controllers/types.js';
import { ReadinessTimeoutError, ServerExitedError } from '../../../src/errors.js';
import { ManualClock } from '../../../src/util/clock.js';

/**
 * What a contract spec must do:
 * - `serve`: ready within a few seconds; answers GET /v1/models and POST /v1/completions.
 * - `crash`: prints `scripted crash` and exits with code 3 about 0.5 s after start (timeoutMs >= 60 s).
 * - `never-ready`: runs but its health path never answers 2xx; readiness.timeoutMs about 1.5 s.
 * - `slow`: becomes ready only after a minute (aborted by the test long before).
 */
export type ContractScenario = 'serve' | 'crash' | 'never-ready' | 'slow';

/** Ids of the server a spec is made for. */
export interface ContractIds {
  studyId: string;
  trialId: string;
}

/** Controller-specific hooks of the contract suite. */
export interface ContractOptions {
  /** What still runs for a study (or for everything the suite started); must be empty after cleanup/stop. */
  leftovers(studyId?: string): Promise<string[]>;
  /**
   * A command starting a separate tuner process that launches one `serve` server for `studyId`,
   * prints `READY <endpoint>` on stdout and then waits forever (it is killed with SIGKILL).
   */
  tunerCommand(studyId: string): { command: string; args: string[]; env?: NodeJS.ProcessEnv };
  /** Upper bound for the crash to surface, from the launch call. @default 15_000 */
  crashWithinMs?: number;
  /** Exit code and log line of the `crash` scenario. @default { exitCode: 3, logPattern: /scripted crash/ } */
  crash?: { exitCode: number; logPattern: RegExp };
  /** Whether the orphan's endpoint stays reachable after its tuner died (not through a port-forward). @default true */
  orphanEndpointSurvives?: boolean;
  /** The controller on a given clock; when set, the readiness budget is checked on a manual clock. */
  withClock?: (clock: ManualClock) => Controller | Promise<Controller>;
}

/** GET or POST one URL; resolves status and body, rejects on a connection error. */
export function request(url: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method: payload ? 'POST' : 'GET',
        agent: false,
        timeout: 5_000,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** True when nothing answers at `endpoint` any more. */
export async function endpointDead(endpoint: string): Promise<boolean> {
  try {
    await request(`${endpoint}/health`);
    return false;
  } catch {
    return true;
  }
}

let counter = 0;
const ids = (tag: string): ContractIds => {
  counter += 1;
  const suffix = `${process.pid}-${Date.now().toString(36)}-${counter}`;
  return { studyId: `contract-${tag}-${suffix}`, trialId: `trial-${counter}` };
};

/** Registers the controller contract suite for one controller. */
export function controllerContract(
  name: string,
  makeController: () => Controller | Promise<Controller>,
  makeSpec: (scenario: ContractScenario, ids: ContractIds) => LaunchSpec,
  options: ContractOptions,
): void {
  describe(`controller contract: ${name}`, () => {
    const endpoints: string[] = [];
    const handles: ServerHandle[] = [];
    const launch = async (scenario: ContractScenario, tag: string, signal?: AbortSignal) => {
      const controller = await makeController();
      const handle = await controller.launch(makeSpec(scenario, ids(tag)), { signal });
      handles.push(handle);
      endpoints.push(handle.endpoint);
      return handle;
    };

    afterAll(async () => {
      await Promise.all(handles.map((h) => h.stop()));
      expect(await options.leftovers()).toEqual([]);
      for (const endpoint of endpoints) expect(await endpointDead(endpoint)).toBe(true);
    });

    it('launches, becomes ready, serves, stops', async () => {
      const handle = await launch('serve', 'serve');
      expect(handle.endpoint).toMatch(/^https?:\/\//);
      expect(handle.startupMs).toBeGreaterThan(0);
      const models = await request(`${handle.endpoint}/v1/models`);
      expect(models.status).toBe(200);
      const completion = await request(`${handle.endpoint}/v1/completions`, {
        model: (JSON.parse(models.body) as { data: { id: string }[] }).data[0]?.id,
        prompt: 'hello',
        max_tokens: 4,
      });
      expect(completion.status).toBe(200);
      expect((JSON.parse(completion.body) as { choices: unknown[] }).choices.length).toBe(1);
      await handle.stop();
      expect(await endpointDead(handle.endpoint)).toBe(true);
      await expect(handle.exited).resolves.toBeDefined();
    });

    it('reports a crash at start-up with exit code and log tail, fast, and removes the server', async () => {
      const controller = await makeController();
      const spec = makeSpec('crash', ids('crash'));
      const started = performance.now();
      const error = await controller.launch(spec).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerExitedError);
      const crash = options.crash ?? { exitCode: 3, logPattern: /scripted crash/ };
      expect(error).toMatchObject({ exitCode: crash.exitCode });
      expect((error as ServerExitedError).logTail).toMatch(crash.logPattern);
      expect(performance.now() - started).toBeLessThan(options.crashWithinMs ?? 15_000);
      expect(await options.leftovers(spec.studyId)).toEqual([]);
    });

    it('times out when the server never becomes ready, and removes it', async () => {
      const controller = await makeController();
      const spec = makeSpec('never-ready', ids('never'));
      const error = await controller.launch(spec).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadinessTimeoutError);
      expect(error).toMatchObject({ timeoutMs: spec.readiness.timeoutMs });
      expect(await options.leftovers(spec.studyId)).toEqual([]);
    });

    it('aborts mid-readiness with the caller reason and removes the server', async () => {
      const controller = await makeController();
      const spec = makeSpec('slow', ids('abort'));
      const abort = new AbortController();
      const reason = new Error('caller gave up');
      setTimeout(() => abort.abort(reason), 1_000);
      await expect(controller.launch(spec, { signal: abort.signal })).rejects.toBe(reason);
      expect(await options.leftovers(spec.studyId)).toEqual([]);
    });

    it('stops twice (concurrently, then again, then by dispose) without error', async () => {
      const handle = await launch('serve', 'double');
      await Promise.all([handle.stop(), handle.stop()]);
      await handle.stop();
      await handle[Symbol.asyncDispose]();
      expect(await endpointDead(handle.endpoint)).toBe(true);
    });

    // A separate tuner process launches a server for the study and is killed with SIGKILL; returns its endpoint.
    const orphan = async (studyId: string): Promise<string> => {
      const { command, args, env } = options.tunerCommand(studyId);
      const tuner = spawn(command, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'inherit'] });
      const endpoint = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: tuner.stdout! });
        lines.on('line', (line) => {
          if (line.startsWith('READY ')) resolve(line.slice('READY '.length).trim());
        });
        tuner.once('exit', (code) => reject(new Error(`tuner exited early with ${code}`)));
      });
      const tunerGone = new Promise((resolve) => tuner.once('exit', resolve));
      tuner.kill('SIGKILL');
      await tunerGone;
      return endpoint;
    };

    it('cleans up a study left behind by a tuner killed with SIGKILL, and only that study', async () => {
      const keep = await launch('serve', 'keep');
      const orphanIds = ids('orphan');
      const endpoint = await orphan(orphanIds.studyId);
      if (options.orphanEndpointSurvives ?? true)
        expect((await request(`${endpoint}/health`)).status).toBe(200);
      expect(await options.leftovers(orphanIds.studyId)).not.toEqual([]);

      const controller = await makeController();
      const removed = await controller.cleanup(orphanIds.studyId);
      expect(removed.length).toBeGreaterThan(0);
      expect(await endpointDead(endpoint)).toBe(true);
      expect(await options.leftovers(orphanIds.studyId)).toEqual([]);
      expect(await controller.cleanup(orphanIds.studyId)).toEqual([]);
      expect((await request(`${keep.endpoint}/health`)).status).toBe(200);
      await keep.stop();
    });

    it("reaps what a dead tuner of the study left, and leaves a live owner's server of that study alone", async () => {
      const studyIds = ids('reap');
      const controller = await makeController();
      const live = await controller.launch(makeSpec('serve', studyIds));
      handles.push(live);
      const endpoint = await orphan(studyIds.studyId);
      if (options.orphanEndpointSurvives ?? true)
        expect((await request(`${endpoint}/health`)).status).toBe(200);
      const before = await options.leftovers(studyIds.studyId);

      const removed = await (await makeController()).reap(studyIds.studyId);
      expect(removed.length).toBeGreaterThan(0);
      expect(await endpointDead(endpoint)).toBe(true);
      expect((await request(`${live.endpoint}/health`)).status).toBe(200);
      const after = await options.leftovers(studyIds.studyId);
      expect(after.length).toBeGreaterThan(0);
      expect(after.length).toBeLessThan(before.length);
      expect(await controller.reap(studyIds.studyId)).toEqual([]);
      await live.stop();
      expect(await options.leftovers(studyIds.studyId)).toEqual([]);
    });

    it.runIf(options.withClock !== undefined)(
      'times out on its clock: a manual clock moved past the budget fails the launch without waiting it out',
      async () => {
        const clock = new ManualClock();
        const controller = await options.withClock!(clock);
        const base = makeSpec('never-ready', ids('clock'));
        const spec = { ...base, readiness: { ...base.readiness, timeoutMs: 600_000 } };
        let settled = false;
        const outcome = controller.launch(spec).then(
          () => 'ready',
          (error: unknown) => error,
        );
        void outcome.finally(() => {
          settled = true;
        });
        // Once the readiness budget is running, ten minutes pass at once.
        while (clock.pendingSleeps === 0 && !settled) await sleep(20);
        clock.advance(600_000);
        const error = await outcome;
        expect(error).toBeInstanceOf(ReadinessTimeoutError);
        expect(error).toMatchObject({ timeoutMs: 600_000 });
        expect(await options.leftovers(spec.studyId)).toEqual([]);
      },
      60_000,
    );
  });
}
