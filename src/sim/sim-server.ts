// The simulated engine as an OpenAI-compatible HTTP server (node:http only), started in-process.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { LaunchError } from '../errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { createRng } from '../util/rng.js';
import { sendError } from './http-util.js';
import { LiveEngine } from './live-engine.js';
import { gib } from './memory-plan.js';
import { createServerCounters } from './metrics-text.js';
import { isResolvedSimConfig, resolveSimConfig, type SimConfig, type SimConfigInput } from './sim-config.js';
import { SimEngine } from './sim-engine.js';
import { createRoutes, type SimServerState } from './sim-routes.js';
import { checkStartup, type StartupFailure } from './startup.js';

/** Options of `startSimServer`. */
export interface SimServerOptions {
  /** Engine configuration (names or resolved). */
  config: SimConfigInput | SimConfig;
  /** Listen address. @default '127.0.0.1' */
  host?: string;
  /** Listen port; 0 picks a free one. @default 0 */
  port?: number;
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Receives engine-style log lines (start-up progress, failures). @default none */
  log?: (line: string) => void;
}

export type { SimServerState } from './sim-routes.js';

/** How a simulated server ended. */
export interface SimExit {
  /** Process exit code the CLI uses: 0 after close(), 1 after a start-up failure or crash. */
  code: number;
  reason: 'startup-failure' | 'crash' | 'closed';
  message: string;
  failure?: StartupFailure;
}

/** A running simulated server; dispose (or close()) to stop it. */
export interface SimServer extends AsyncDisposable {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly config: SimConfig;
  /** Resolves true once /health answers 200, false when start-up failed or the server closed first. */
  readonly ready: Promise<boolean>;
  /** Resolves when the server stops for any reason; never rejects. */
  readonly exited: Promise<SimExit>;
  state(): SimServerState;
  close(): Promise<void>;
}

/** Starts the simulated engine; resolves once listening (still loading: watch `ready` or poll /health). */
export async function startSimServer(
  options: SimServerOptions,
  { signal }: { signal?: AbortSignal } = {},
): Promise<SimServer> {
  signal?.throwIfAborted();
  const config = isResolvedSimConfig(options.config) ? options.config : resolveSimConfig(options.config);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const k = config.timeScale;
  const rng = createRng(config.seed);
  const startup = checkStartup(config, rng.fork('startup'));
  const counters = createServerCounters();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let state: SimServerState = 'loading';
  let live: LiveEngine | undefined;
  let finishedCount = 0;
  let resolveReady: (ok: boolean) => void = () => {};
  let resolveExit: (exit: SimExit) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (resolveReady = resolve));
  const exited = new Promise<SimExit>((resolve) => (resolveExit = resolve));
  const handle = createRoutes({
    config,
    counters,
    clock,
    rng,
    kvCapacityTokens: startup.plan?.kvCapacityTokens,
    state: () => state,
    live: () => live,
    onCompleted() {
      finishedCount++;
      if (config.crashAfterRequests !== undefined && finishedCount === config.crashAfterRequests) crash();
    },
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendError(res, { status: 500, message: String(error), type: 'internal_error', param: null });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const shutdown = (exit: SimExit): Promise<void> => {
    if (state === 'closed' || state === 'failed' || state === 'crashed') return exited.then(() => {});
    state = exit.reason === 'startup-failure' ? 'failed' : exit.reason === 'crash' ? 'crashed' : 'closed';
    live?.stop();
    signal?.removeEventListener('abort', onAbort);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    resolveReady(false);
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }).then(() => resolveExit(exit));
  };
  const onAbort = (): void => void shutdown({ code: 0, reason: 'closed', message: 'aborted' });
  const later = (simMs: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, simMs / k);
    timers.add(timer);
  };

  function crash(): void {
    const message = `RuntimeError: simulated engine crash after ${finishedCount} completed requests (CUDA error: an illegal memory access was encountered)`;
    log(`ERROR ${message}`);
    // Let the last answer leave before the process "dies".
    setImmediate(() => void shutdown({ code: 1, reason: 'crash', message }));
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new LaunchError(`Port already in use: ${where}`, { cause: error })
          : new LaunchError(`Cannot listen on ${where}: ${error.message}`, { cause: error }),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log(
    `INFO inference-sim (${config.engine} flavour) serving ${config.model.name} on ${config.numGpus} x ${config.gpu.displayName}, tp=${config.tensorParallel} pp=${config.pipelineParallel} dp=${config.dataParallel}, time scale ${k}`,
  );
  if (startup.ok) {
    log(
      `INFO weights ${gib(startup.plan.weightBytesPerGpu)} per GPU; KV cache ${startup.plan.kvCapacityTokens} tokens (${gib(Math.max(0, startup.plan.kvBytesPerGpu))} per GPU)`,
    );
    // The line the imitated engine logs once its KV cache is sized.
    const tokens = startup.plan.kvCapacityTokens;
    if (config.engine === 'vllm') log(`INFO GPU KV cache size: ${tokens} tokens`);
    if (config.engine === 'sglang') log(`INFO KV Cache is allocated. #tokens: ${tokens}`);
    later(startup.startupMs, () => {
      if (state !== 'loading') return;
      live = new LiveEngine(new SimEngine(config, startup.plan, rng.fork('noise')), clock, k, (done) => {
        counters.ttft.observe(done.ttftMs / 1000);
        counters.e2e.observe(done.e2eMs / 1000);
        if (done.outputTokens > 1)
          counters.tpot.observe((done.e2eMs - done.ttftMs) / 1000 / (done.outputTokens - 1));
      });
      state = 'ready';
      log(`INFO Application startup complete (${(startup.startupMs / 1000).toFixed(1)} s simulated).`);
      resolveReady(true);
    });
  } else {
    const failure = startup.failure;
    later(failure.atMs, () => {
      log(`ERROR ${failure.message}`);
      void shutdown({ code: 1, reason: 'startup-failure', message: failure.message, failure });
    });
  }
  const close = (): Promise<void> => shutdown({ code: 0, reason: 'closed', message: 'closed' });
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    url,
    host: address.address,
    port: address.port,
    config,
    ready,
    exited,
    state: () => state,
    close,
    [Symbol.asyncDispose]: close,
  };
}
