// Local controller: engines as child processes (no shell), each in its own process group.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LaunchError } from '../../errors.js';
import type { Logger } from '../../util/logger.js';
import { redactValue } from '../../util/redact.js';
import { CONTROLLER_TRAITS } from '../controller-traits.js';
import { engineEnv } from '../env.js';
import { currentRunId } from '../labels.js';
import { LogRing } from '../log-ring.js';
import { sanitizeLabelValue, sanitizeName } from '../names.js';
import { ownerGone, ownerHost } from '../owner.js';
import { freePortCandidate, withPortRetry } from '../ports.js';
import { type ExitInfo, waitForReady } from '../readiness.js';
import { serverArgs } from '../server-argv.js';
import type { Controller, LaunchSpec, ServerHandle, SignalOptions } from '../types.js';
import { compositeWait, strategyFromSpec, type WaitStrategy } from '../wait-strategies.js';
import { trackGroup, untrackGroup } from './exit-hook.js';
import {
  type LocalControllerOptions,
  type ResolvedLocalOptions,
  resolveLocalOptions,
} from './local-options.js';
import { groupAlive, groupListensOn, processStartTime, SERVER_MARKER_ENV } from './proc.js';
import { ProcessRegistry } from './process-registry.js';
import { describeEntry, reapEntries, stillOurs } from './reap.js';
import { terminateGroup } from './terminate-group.js';

export type { LocalControllerOptions } from './local-options.js';

/** Starts engines as local child processes; see `LocalControllerOptions`. */
export class LocalController implements Controller {
  readonly kind = 'local' as const;
  readonly traits = CONTROLLER_TRAITS.local;
  private readonly options: ResolvedLocalOptions;
  private readonly stateDir: string;
  private readonly registry: ProcessRegistry;
  private readonly logger: Logger;

  /** Validates `options` at once: an `InvalidOptionsError` names every bad option and its value. */
  constructor(options: LocalControllerOptions = {}) {
    this.options = resolveLocalOptions(options);
    this.stateDir = this.options.stateDir;
    this.registry = new ProcessRegistry(this.stateDir);
    this.logger = this.options.logger;
  }

  async launch(spec: LaunchSpec, options: SignalOptions = {}): Promise<ServerHandle> {
    return withPortRetry((port) => this.launchOnce(spec, port, options.signal), {
      maxAttempts: this.options.portAttempts,
      pickPort: this.options.pickPort ?? (() => freePortCandidate(this.options.host)),
      signal: options.signal,
    });
  }

  async cleanup(studyId?: string, options: SignalOptions = {}): Promise<string[]> {
    const study = studyId === undefined ? undefined : sanitizeLabelValue(studyId);
    const entries = this.registry.list().filter((entry) => study === undefined || entry.study === study);
    return reapEntries(this.registry, entries, this.options.stopGraceMs, options.signal, this.options.clock);
  }

  async reap(studyId: string, options: SignalOptions = {}): Promise<string[]> {
    const study = sanitizeLabelValue(studyId);
    const orphans = this.registry
      .list()
      .filter((entry) => entry.study === study && ownerGone({ host: entry.ownerHost, pid: entry.ownerPid }));
    const removed = await reapEntries(
      this.registry,
      orphans,
      this.options.stopGraceMs,
      options.signal,
      this.options.clock,
    );
    if (removed.length > 0) this.logger.info({ studyId, removed }, 'reaped servers of a dead run');
    return removed;
  }

  /** Process groups of this library still running (all, or one study's), as `cleanup` would report them. */
  async running(studyId?: string): Promise<string[]> {
    const study = studyId === undefined ? undefined : sanitizeLabelValue(studyId);
    return this.registry
      .list()
      .filter((entry) => (study === undefined || entry.study === study) && stillOurs(entry))
      .map(describeEntry)
      .sort();
  }

  private async launchOnce(spec: LaunchSpec, port: number, signal?: AbortSignal): Promise<ServerHandle> {
    signal?.throwIfAborted();
    const startedMs = this.options.clock.now();
    const host = this.options.host;
    const id = randomUUID();
    const { env, secretEnv } = engineEnv(spec, { hostEnv: this.options.hostEnv });
    const args = serverArgs(spec, host, port);
    const logDir = path.join(this.stateDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = path.join(
      logDir,
      `${sanitizeName(`${spec.studyId}-${spec.trialId}`, 'docker')}-${id.slice(0, 8)}.log`,
    );
    this.logger.debug(redactValue({ command: spec.command, args, env, logFile }), 'starting local server');

    const child = spawn(spec.command, args, {
      cwd: spec.cwd,
      env: { ...(this.options.hostEnv ?? process.env), ...env, ...secretEnv, [SERVER_MARKER_ENV]: id },
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ring = new LogRing(this.options.logCapacityLines);
    const file = createWriteStream(logFile, { flags: 'a' });
    ring.onLine((line) => file.write(`${line}\n`));
    child.stdout?.on('data', (chunk: Buffer) => ring.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => ring.push(chunk));
    const exited = watchExit(child, ring, spec.command);
    const pid = child.pid;
    void exited.then(() => file.end());
    if (pid === undefined) {
      const info = await exited;
      throw info.error ?? new LaunchError(`could not start ${spec.command}`);
    }

    this.registry.add({
      id,
      pid,
      pgid: pid,
      startTime: processStartTime(pid),
      study: sanitizeLabelValue(spec.studyId),
      trial: sanitizeLabelValue(spec.trialId),
      run: currentRunId(),
      ownerHost: ownerHost(),
      ownerPid: process.pid,
      command: spec.command,
      port,
      logFile,
      createdAtMs: this.options.clock.wallMs(),
    });
    trackGroup(pid);
    // A server that ends on its own with no process left needs no reaping: forget it at once.
    void exited.then(() => {
      if (stopping === undefined && !groupAlive(pid)) {
        untrackGroup(pid);
        this.registry.remove(id);
      }
    });
    let stopping: Promise<void> | undefined;
    const stop = (stopOptions: SignalOptions = {}): Promise<void> => {
      stopping ??= (async () => {
        await terminateGroup(pid, this.options.stopGraceMs, stopOptions.signal, this.options.clock);
        await exited;
        untrackGroup(pid);
        this.registry.remove(id);
      })();
      return stopping;
    };

    const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    try {
      await waitForReady({
        strategy: compositeWait([strategyFromSpec(spec.readiness), ownPortWait(pid, port)]),
        baseUrl: endpoint,
        exited,
        logs: () => ring.tail(),
        wake: !this.options.wakeOnLogLine ? undefined : (listener) => ring.onLine(listener),
        timeoutMs: spec.readiness.timeoutMs ?? 600_000,
        signal,
        initialIntervalMs: this.options.readinessInitialIntervalMs,
        maxIntervalMs: this.options.readinessMaxIntervalMs,
        clock: this.options.clock,
      });
    } catch (error) {
      await stop();
      throw error;
    }
    const startupMs = this.options.clock.now() - startedMs;
    this.logger.debug({ endpoint, startupMs, trial: spec.trialId }, 'local server ready');
    return {
      endpoint,
      startupMs,
      exited: exited.then(({ exitCode, signal: exitSignal }) => ({ exitCode, signal: exitSignal })),
      logs: async (logOptions = {}) => ring.tail(logOptions.tail ?? 100),
      stop,
      [Symbol.asyncDispose]: () => stop(),
    };
  }
}

/** Resolves when the process exits (after its output is drained, at most 250 ms later) or cannot start. */
function watchExit(child: ChildProcess, ring: LogRing, command: string): Promise<ExitInfo> {
  return new Promise<ExitInfo>((resolve) => {
    let settled = false;
    const finish = (info: ExitInfo) => {
      if (settled) return;
      settled = true;
      ring.end();
      resolve(info);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      finish({
        exitCode: null,
        signal: null,
        error: new LaunchError(`could not start ${JSON.stringify(command)}: ${error.code ?? error.message}`, {
          cause: error,
        }),
      });
    });
    child.once('exit', (exitCode, signal) => {
      // Grandchildren may keep the pipes open: do not wait for 'close' forever.
      const timer = setTimeout(() => finish({ exitCode, signal }), 250);
      child.once('close', () => {
        clearTimeout(timer);
        finish({ exitCode, signal });
      });
    });
  });
}

// Another process may hold the port we picked (the pick is only a guess): once the HTTP probe passes,
// check that our own process group listens on it, so a foreign server never makes ours look ready.
function ownPortWait(pgid: number, port: number): WaitStrategy {
  return {
    description: `process group ${pgid} listens on port ${port}`,
    async check() {
      const owned = groupListensOn(pgid, port);
      return {
        ready: owned !== false,
        detail: owned === false ? `port ${port} not bound by us yet` : 'port bound',
      };
    },
  };
}

/** Creates a local controller. */
export function createLocalController(options: LocalControllerOptions = {}): LocalController {
  return new LocalController(options);
}
