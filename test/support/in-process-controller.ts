// A controller the library does not bundle, built on the public API only: each launch is served by an
// in-process simulated engine reading the launch's vLLM-style flags.
import {
  type Clock,
  type Controller,
  type ControllerTraits,
  LaunchError,
  type LaunchSpec,
  parseSimArgs,
  type ServerHandle,
  startSimServer,
} from '../../src/index.js';

/** Options of the in-process controller. */
export interface InProcessOptions {
  /** When set, each launch moves this manual clock forward by `startupMs` (a start-up that took that long). */
  clock?: Clock & { advance(ms: number): void };
  /** Start-up time each launch reports. @default 0 */
  startupMs?: number;
}

/** Serves each launch from an in-process simulated engine; records the launch specs and the servers at once. */
export class InProcessController implements Controller {
  readonly kind = 'in-process';
  readonly launches: LaunchSpec[] = [];
  running = 0;
  maxRunning = 0;
  constructor(
    readonly traits: ControllerTraits,
    private readonly options: InProcessOptions = {},
  ) {}

  async launch(spec: LaunchSpec): Promise<ServerHandle> {
    this.launches.push(spec);
    // The spec's arguments are `serve MODEL --flags`: the simulator reads the same vLLM flags.
    const parsed = parseSimArgs([
      ...spec.args.slice(1),
      ...['--gpu', 'h100', '--num-gpus', String(Math.max(1, spec.gpus.length)), '--time-scale', '50'],
      ...['--seed', '7', '--noise-cv', '0'],
    ]);
    if ('exitCode' in parsed) throw new LaunchError(parsed.message);
    const server = await startSimServer({ config: { ...parsed.config, loadTimeScale: 0.001 } });
    if (!(await server.ready)) {
      await server.close();
      throw new LaunchError('simulated engine did not start');
    }
    const startupMs = this.options.startupMs ?? 0;
    this.options.clock?.advance(startupMs);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      this.running -= 1;
      await server.close();
    };
    return {
      endpoint: server.url,
      startupMs,
      logs: async () => '',
      exited: server.exited.then(() => ({ exitCode: 0, signal: null })),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }

  async cleanup(): Promise<string[]> {
    return [];
  }

  async reap(): Promise<string[]> {
    return [];
  }
}
