import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerController } from '../../../src/controllers/docker/docker-controller.js';
import { LABEL_KEYS } from '../../../src/controllers/labels.js';
import { AutotunerError, ControlPlaneError, LaunchError } from '../../../src/errors.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import { controllerContract, endpointDead, request } from '../controllers/contract.js';
import { ensureTestImage, managedContainers, requireDocker } from './docker-env.js';
import { dockerFixtureSpec } from './docker-fixture.js';
import { startFlakyDockerProxy } from './flaky-docker-proxy.js';

const enabled = await requireDocker('docker controller');
const childScript = fileURLToPath(new URL('./docker-tuner-child.ts', import.meta.url));
const make = () => new DockerController({ stopGraceMs: 3_000 });
let counter = 0;
const studyIds = (tag: string) => ({
  studyId: `docker-${tag}-${process.pid}-${++counter}`,
  trialId: `t${counter}`,
});

if (enabled) {
  beforeAll(async () => {
    await ensureTestImage('sim');
  }, 600_000);

  controllerContract('docker (fixture server in the sim image)', make, dockerFixtureSpec, {
    leftovers: (studyId) => managedContainers(studyId ?? 'contract-'),
    tunerCommand: (studyId) => ({
      command: process.execPath,
      args: ['--import', 'tsx', childScript, studyId],
    }),
    withClock: (clock) => new DockerController({ stopGraceMs: 3_000, clock }),
  });

  describe('docker controller specifics', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'autotune-docker-'));
    const docker = new Docker();

    afterAll(async () => {
      rmSync(tmp, { recursive: true, force: true });
      expect(await managedContainers('docker-')).toEqual([]);
    });

    it('mounts the HF cache and a model folder together, sets labels, shm size and ipc mode, redacts the token', async () => {
      const cacheDir = mkdtempSync(path.join(tmp, 'hf-'));
      const modelDir = mkdtempSync(path.join(tmp, 'model-'));
      writeFileSync(path.join(modelDir, 'model.gguf'), 'weights');
      const controller = new DockerController({ stopGraceMs: 3_000, hfCache: { hostPath: cacheDir } });
      const ids = studyIds('mounts');
      const handle = await controller.launch({
        ...dockerFixtureSpec('serve', ids),
        volumes: [{ hostPath: modelDir, containerPath: '/models', readOnly: true }],
        shmSizeBytes: 64 * 1024 * 1024,
        ipcMode: 'private',
        secretEnv: { HF_TOKEN: 'hf_docker_secret_value_42' },
        labels: { team: 'perf' },
      });
      try {
        const info = await docker.getContainer(handle.containerId).inspect();
        const mounts = Object.fromEntries(
          info.Mounts.map((m) => [m.Destination, { source: m.Source, rw: m.RW }]),
        );
        expect(mounts).toEqual({
          '/models': { source: modelDir, rw: false },
          '/root/.cache/huggingface': { source: cacheDir, rw: true },
        });
        expect(info.HostConfig.ShmSize).toBe(64 * 1024 * 1024);
        expect(info.HostConfig.IpcMode).toBe('private');
        expect(info.Config.Labels).toMatchObject({
          [LABEL_KEYS.study]: ids.studyId,
          [LABEL_KEYS.runtime]: 'sim',
          team: 'perf',
        });
        const logs = await handle.logs();
        expect(logs).toContain('token=[REDACTED]');
        expect(logs).not.toContain('hf_docker_secret_value_42');
      } finally {
        await handle.stop();
      }
      expect(await managedContainers(ids.studyId)).toEqual([]);
    });

    it('serves on the host network with a port it picked', async () => {
      const controller = new DockerController({ network: 'host', stopGraceMs: 3_000 });
      const handle = await controller.launch(dockerFixtureSpec('serve', studyIds('hostnet')));
      expect(new URL(handle.endpoint).port).not.toBe('8000');
      expect((await request(`${handle.endpoint}/v1/models`)).status).toBe(200);
      await handle.stop();
      expect(await endpointDead(handle.endpoint)).toBe(true);
    });

    it.each([
      ['never', /pullPolicy is 'never'/],
      ['if-missing', /could not be pulled/],
    ] as const)(
      'fails with a LaunchError for a missing image (pullPolicy %s)',
      async (pullPolicy, message) => {
        const events: string[] = [];
        const controller = new DockerController({ pullPolicy, onPullProgress: (e) => events.push(e.status) });
        const ids = studyIds('pull');
        const spec = { ...dockerFixtureSpec('serve', ids), image: 'inference-autotuner/no-such-image:never' };
        const error = await controller.launch(spec).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LaunchError);
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).toContain('inference-autotuner/no-such-image:never');
        expect(await managedContainers(ids.studyId)).toEqual([]);
      },
    );

    it('refuses GPUs the Docker host cannot provide with a LaunchError and removes the container', async () => {
      const gpu: GpuInfo = {
        index: 0,
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        name: 'Test GPU',
        memoryTotalMiB: 1024,
        memoryUsedMiB: 0,
        memoryFreeMiB: 1024,
        utilizationPct: undefined,
        processes: [],
      };
      const ids = studyIds('gpu');
      const error = await make()
        .launch({ ...dockerFixtureSpec('serve', ids), gpus: [gpu] })
        .catch((e: unknown) => e);
      // With an NVIDIA runtime installed the container starts but the fake UUID is unknown: it fails either way.
      expect(error).toBeInstanceOf(AutotunerError);
      expect(await managedContainers(ids.studyId)).toEqual([]);
    });

    it('removes its containers when the tuner gets SIGTERM, then exits on that signal', async () => {
      const ids = studyIds('sigterm');
      const tuner = spawn(process.execPath, ['--import', 'tsx', childScript, ids.studyId], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<string | null>((resolve) =>
        tuner.once('exit', (_code, signal) => resolve(signal)),
      );
      const endpoint = await new Promise<string>((resolve, reject) => {
        createInterface({ input: tuner.stdout }).on('line', (line) => {
          if (line.startsWith('READY ')) resolve(line.slice('READY '.length));
        });
        void exited.then(() => reject(new Error('tuner exited before READY')));
      });
      expect(await managedContainers(ids.studyId)).toHaveLength(1);
      tuner.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      expect(await managedContainers(ids.studyId)).toEqual([]);
      expect(await endpointDead(endpoint)).toBe(true);
    });

    it('retries transient Docker API errors (503 on create and start) and still launches', async () => {
      const proxy = await startFlakyDockerProxy([
        { method: 'POST', pathPattern: /\/containers\/create/, status: 503, times: 1 },
        { method: 'POST', pathPattern: /\/containers\/[^/]+\/start/, status: 500, times: 1 },
      ]);
      try {
        const controller = new DockerController({
          docker: new Docker({ socketPath: proxy.socketPath }),
          stopGraceMs: 3_000,
        });
        const handle = await controller.launch(dockerFixtureSpec('serve', studyIds('retry')));
        expect(proxy.injected).toEqual([expect.stringMatching(/create$/), expect.stringMatching(/start$/)]);
        expect((await request(`${handle.endpoint}/v1/models`)).status).toBe(200);
        await handle.stop();
      } finally {
        await proxy.close();
      }
    });

    it('fails at once on a permanent Docker API error and leaves nothing behind', async () => {
      const proxy = await startFlakyDockerProxy([
        { method: 'POST', pathPattern: /\/containers\/[^/]+\/start/, status: 400, times: 5 },
      ]);
      const ids = studyIds('permanent');
      try {
        const controller = new DockerController({ docker: new Docker({ socketPath: proxy.socketPath }) });
        const error = await controller.launch(dockerFixtureSpec('serve', ids)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ControlPlaneError);
        expect(error).toMatchObject({ statusCode: 400, transient: false });
        expect(proxy.injected).toHaveLength(1);
      } finally {
        await proxy.close();
      }
      expect(await managedContainers(ids.studyId)).toEqual([]);
    });

    it('fails the launch saying what happened when Docker cannot wait for the container', async () => {
      const proxy = await startFlakyDockerProxy([
        { method: 'POST', pathPattern: /\/containers\/[^/]+\/wait/, status: 500, times: 3 },
      ]);
      const ids = studyIds('wait-fails');
      try {
        const controller = new DockerController({ docker: new Docker({ socketPath: proxy.socketPath }) });
        // A server that never gets ready, with a budget far above the bound below: the failed wait ends the launch.
        const spec = dockerFixtureSpec('never-ready', ids);
        const started = performance.now();
        const error = await controller
          .launch({ ...spec, readiness: { ...spec.readiness, timeoutMs: 600_000 } })
          .catch((e: unknown) => e);
        expect(performance.now() - started).toBeLessThan(60_000);
        expect(error instanceof ControlPlaneError).toBe(true);
        expect(error).toMatchObject({ statusCode: 500, code: 'ERR_CONTROL_PLANE' });
        expect((error as Error).message).toMatch(/wait for container [0-9a-f]+.*injected 500/);
        expect((error as Error).message).not.toContain('code null');
        expect((error as Error).cause).toBeDefined();
        expect(proxy.injected).toHaveLength(3);
      } finally {
        await proxy.close();
      }
      expect(await managedContainers(ids.studyId)).toEqual([]);
    });

    it('kills a server that ignores SIGTERM after the grace period, and at once when stop() is aborted', async () => {
      const stubborn = (ids: { studyId: string; trialId: string }) => ({
        ...dockerFixtureSpec('serve', ids),
        command: 'node',
        args: [
          '-e',
          "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));" +
            "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.argv.at(-1)), '0.0.0.0')",
          '--',
        ],
        hostFlag: undefined,
        readiness: { path: '/', timeoutMs: 30_000 },
      });
      const controller = new DockerController({ stopGraceMs: 2_000 });
      const graceful = await controller.launch(stubborn(studyIds('stubborn')));
      let started = performance.now();
      await graceful.stop();
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_500);
      expect(await graceful.exited).toEqual({ exitCode: 137, signal: null });
      expect(await graceful.logs()).toContain('ignoring SIGTERM');

      const aborted = await new DockerController({ stopGraceMs: 60_000 }).launch(
        stubborn(studyIds('stubborn')),
      );
      started = performance.now();
      await aborted.stop({ signal: AbortSignal.abort() });
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(await endpointDead(aborted.endpoint)).toBe(true);
    });

    it('cleanup(study) removes only labelled containers of that study and names them', async () => {
      const ids = studyIds('cleanup');
      const bystander = await docker.createContainer({
        Image: 'inference-autotuner/sim:test',
        Cmd: ['node', '-e', '1'],
        Labels: { [LABEL_KEYS.study]: ids.studyId },
      });
      try {
        const controller = make();
        const handle = await controller.launch(dockerFixtureSpec('serve', ids));
        expect(await controller.cleanup(ids.studyId)).toEqual([handle.containerName]);
        expect(await endpointDead(handle.endpoint)).toBe(true);
        expect((await bystander.inspect()).Id).toBe(bystander.id);
        await handle.stop();
      } finally {
        await bystander.remove({ force: true });
      }
    });
  });
}
