// Pod lifecycle of the fake Kubernetes API server: scheduling, image "pull", a real local process per pod, exit states.
import { type ChildProcess, spawn } from 'node:child_process';
import type { FakeScheduler } from './fake-k8s-scheduler.js';

type Obj = Record<string, unknown>;

/**
 * Turns a container's full argv (command + args, variables expanded) into a local process to run; with
 * `oomKillAfterMs`, the fake kills it then as the kernel's OOM killer would (reason `OOMKilled`, exit 137).
 */
export type FakeImage = (argv: string[]) => { file: string; args: string[]; oomKillAfterMs?: number };

/** A pod's runtime state kept beside its stored object. */
interface PodRuntime {
  child?: ChildProcess;
  logs: string[];
  previousLogs: string[];
  deleting: boolean;
}

const now = () => new Date().toISOString();

/** Runs pods of the fake cluster as real local processes bound to their own loopback "pod IP". */
export class FakePods {
  private readonly runtimes = new Map<string, PodRuntime>();
  private nextIp = 2;
  // A random /24 of 127/8 per fake, so pods of concurrent fakes never share an address.
  private readonly subnet =
    `127.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

  // Pods waiting for room, in creation order; each retried when GPUs are given back.
  private readonly pending = new Map<string, { pod: Obj; runtime: PodRuntime }>();
  private closed = false;

  constructor(
    private readonly images: Record<string, FakeImage>,
    private readonly scheduler: FakeScheduler,
    private readonly readSecret: (namespace: string, name: string) => Obj | undefined,
    private readonly onGone: (pod: Obj) => void,
  ) {}

  /** Pids of pod processes still running. */
  livePids(): number[] {
    return [...this.runtimes.values()].flatMap((r) =>
      r.child && r.child.exitCode === null && r.child.signalCode === null ? [r.child.pid ?? -1] : [],
    );
  }

  logs(pod: Obj, previous: boolean): string[] {
    const runtime = this.runtimes.get(uid(pod));
    return (previous ? runtime?.previousLogs : runtime?.logs) ?? [];
  }

  /** Starts the lifecycle of a freshly stored pod (mutates its status in place). */
  start(pod: Obj): void {
    const runtime: PodRuntime = { logs: [], previousLogs: [], deleting: false };
    this.runtimes.set(uid(pod), runtime);
    const status: Obj = { phase: 'Pending', conditions: [], startTime: now() };
    pod['status'] = status;
    setTimeout(() => this.schedule(pod, runtime), 20);
  }

  /** Deletes a pod: SIGTERM to its process group, SIGKILL after the grace period (at most 2 s here). */
  delete(pod: Obj, graceSeconds: number | undefined): void {
    const runtime = this.runtimes.get(uid(pod));
    const metadata = pod['metadata'] as Obj;
    metadata['deletionTimestamp'] ??= now();
    if (!runtime || runtime.deleting) {
      if (!runtime) this.onGone(pod);
      return;
    }
    runtime.deleting = true;
    const child = runtime.child;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      this.finish(pod);
      return;
    }
    const pid = child.pid;
    const grace = Math.min(
      2,
      graceSeconds ?? Number((podSpec(pod)['terminationGracePeriodSeconds'] as number) ?? 30),
    );
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), grace * 1_000);
    child.once('exit', () => {
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL');
      this.finish(pod);
    });
  }

  /** Kills every pod process (closing the fake); nothing is scheduled or started after this. */
  killAll(): void {
    this.closed = true;
    this.pending.clear();
    for (const runtime of this.runtimes.values()) {
      if (runtime.child?.pid !== undefined) killGroup(runtime.child.pid, 'SIGKILL');
    }
  }

  private finish(pod: Obj): void {
    this.runtimes.delete(uid(pod));
    this.pending.delete(uid(pod));
    this.release(pod);
    this.onGone(pod);
  }

  // Gives the pod's GPUs back and lets waiting pods try again, oldest first.
  private release(pod: Obj): void {
    if (!this.scheduler.release(uid(pod), performance.now())) return;
    for (const [key, waiting] of [...this.pending]) {
      if (this.pending.get(key) !== waiting) continue;
      this.pending.delete(key);
      this.schedule(waiting.pod, waiting.runtime);
    }
  }

  private schedule(pod: Obj, runtime: PodRuntime): void {
    if (runtime.deleting || this.closed) return;
    const status = pod['status'] as Obj;
    const spec = podSpec(pod);
    const container = ((spec['containers'] as Obj[]) ?? [])[0] ?? {};
    const placed = this.scheduler.schedule(pod, performance.now());
    if ('unschedulable' in placed) {
      status['conditions'] = [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: placed.unschedulable,
          lastTransitionTime: now(),
        },
      ];
      this.pending.set(uid(pod), { pod, runtime });
      return;
    }
    spec['nodeName'] = placed.node;
    status['conditions'] = [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now() }];
    status['hostIP'] = '127.0.0.1';
    const name = container['name'] as string;
    const image = this.images[container['image'] as string];
    const waiting = (reason: string, message: string) => {
      status['containerStatuses'] = [
        { name, ready: false, restartCount: 0, state: { waiting: { reason, message } } },
      ];
    };
    if (!image) {
      waiting('ErrImagePull', `pull access denied for ${String(container['image'])}`);
      setTimeout(() => {
        if (!runtime.deleting)
          waiting('ImagePullBackOff', `Back-off pulling image ${String(container['image'])}`);
      }, 100);
      return;
    }
    const podIp = `${this.subnet}.${2 + (this.nextIp++ % 250)}`;
    status['podIP'] = podIp;
    status['podIPs'] = [{ ip: podIp }];
    const env = this.resolveEnv(pod, container, podIp);
    if (typeof env === 'string') {
      waiting('CreateContainerConfigError', env);
      return;
    }
    // What the NVIDIA device plugin hands the container: exactly the devices it was allocated.
    if (placed.devices.length > 0) env['NVIDIA_VISIBLE_DEVICES'] = placed.devices.join(',');
    const expand = (s: string) => s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m);
    const argv = [
      ...((container['command'] as string[]) ?? []),
      ...((container['args'] as string[]) ?? []),
    ].map(expand);
    const { file, args, oomKillAfterMs } = image(argv);
    const child = spawn(file, args, {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    runtime.child = child;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) runtime.logs.push(line);
      if (runtime.logs.length > 5_000) runtime.logs.splice(0, runtime.logs.length - 5_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('error', (error) => runtime.logs.push(`exec error: ${error.message}`));
    status['phase'] = 'Running';
    status['containerStatuses'] = [
      { name, ready: true, started: true, restartCount: 0, state: { running: { startedAt: now() } } },
    ];
    let oomKilled = false;
    const oomTimer =
      oomKillAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            oomKilled = true;
            if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
          }, oomKillAfterMs);
    child.once('exit', (code, signal) => {
      if (oomTimer) clearTimeout(oomTimer);
      if (runtime.deleting) return;
      const terminated = {
        exitCode: code ?? (signal === 'SIGKILL' ? 137 : 143),
        reason: oomKilled ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error',
        finishedAt: now(),
      };
      if ((spec['restartPolicy'] ?? 'Always') === 'Never') {
        status['phase'] = code === 0 ? 'Succeeded' : 'Failed';
        status['containerStatuses'] = [{ name, ready: false, restartCount: 0, state: { terminated } }];
        // A finished pod holds no resources any more.
        this.release(pod);
      } else {
        // Not restarted for real: the pod shows the crash loop a controller must recognise.
        runtime.previousLogs = runtime.logs;
        runtime.logs = [];
        status['containerStatuses'] = [
          {
            name,
            ready: false,
            restartCount: 1,
            lastState: { terminated },
            state: {
              waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' },
            },
          },
        ];
      }
    });
  }

  private resolveEnv(pod: Obj, container: Obj, podIp: string): Record<string, string> | string {
    const env: Record<string, string> = {};
    const namespace = (pod['metadata'] as Obj)['namespace'] as string;
    for (const item of (container['env'] as Obj[] | undefined) ?? []) {
      const name = item['name'] as string;
      const from = item['valueFrom'] as Obj | undefined;
      if (!from) {
        env[name] = String(item['value'] ?? '');
        continue;
      }
      const field = (from['fieldRef'] as Obj | undefined)?.['fieldPath'];
      if (field === 'status.podIP') env[name] = podIp;
      else if (field === 'metadata.name') env[name] = (pod['metadata'] as Obj)['name'] as string;
      const ref = from['secretKeyRef'] as Obj | undefined;
      if (ref) {
        const secret = this.readSecret(namespace, ref['name'] as string);
        const data = (secret?.['data'] as Record<string, string> | undefined) ?? {};
        const value = data[ref['key'] as string];
        if (value === undefined)
          return `secret "${String(ref['name'])}" key "${String(ref['key'])}" not found`;
        env[name] = Buffer.from(value, 'base64').toString('utf8');
      }
    }
    return env;
  }
}

function uid(pod: Obj): string {
  return (pod['metadata'] as Obj)['uid'] as string;
}

function podSpec(pod: Obj): Obj {
  return (pod['spec'] as Obj | undefined) ?? {};
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
