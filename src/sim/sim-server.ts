// The simulated engine as an OpenAI-compatible HTTP server (node:http only), started in-process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { LaunchError } from '../errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { createRng } from '../util/rng.js';
import { LOADING_ERROR, readBody, sendError, sendJson } from './http-util.js';
import { LiveEngine } from './live-engine.js';
import { gib } from './memory-plan.js';
import { createServerCounters, metricsText } from './metrics-text.js';
import { isApiError, parseGenerationRequest } from './openai-request.js';
import { ResponseWriter } from './openai-response.js';
import { resolveSimConfig, type SimConfig, type SimConfigInput } from './sim-config.js';
import { type EngineStats, SimEngine } from './sim-engine.js';
import { checkStartup, type StartupFailure } from './startup.js';
import { naturalOutputTokens } from './tokens.js';

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

/** Lifecycle state of a simulated server. */
export type SimServerState = 'loading' | 'ready' | 'failed' | 'crashed' | 'closed';

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

const IDLE_STATS: EngineStats = {
  running: 0,
  waiting: 0,
  kvUsage: 0,
  preemptions: 0,
  promptTokens: 0,
  prefixHitTokens: 0,
  generatedTokens: 0,
  finished: 0,
  steps: 0,
};

const isConfig = (input: SimConfigInput | SimConfig): input is SimConfig =>
  typeof input.model !== 'string' &&
  typeof input.gpu !== 'string' &&
  'blockSize' in input &&
  input.blockSize !== undefined;

/** Starts the simulated engine; resolves once listening (still loading: watch `ready` or poll /health). */
export async function startSimServer(
  options: SimServerOptions,
  { signal }: { signal?: AbortSignal } = {},
): Promise<SimServer> {
  signal?.throwIfAborted();
  const config = isConfig(options.config) ? options.config : resolveSimConfig(options.config);
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
  let serial = 0;
  let finishedCount = 0;
  let resolveReady: (ok: boolean) => void = () => {};
  let resolveExit: (exit: SimExit) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (resolveReady = resolve));
  const exited = new Promise<SimExit>((resolve) => (resolveExit = resolve));
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-sim-time-scale', String(k));
    const path = (req.url ?? '/').split('?')[0];
    const loading = state !== 'ready';
    if (req.method === 'GET' && (path === '/health' || path === '/health_generate')) {
      if (loading) return sendError(res, LOADING_ERROR);
      return sendJson(res, 200, config.engine === 'llamacpp' ? '{"status":"ok"}' : '{}');
    }
    if (req.method === 'GET' && path === '/metrics') {
      const stats = live?.engine.stats() ?? IDLE_STATS;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return void res.end(metricsText(config.engine, config.servedModelName, stats, counters));
    }
    if (req.method === 'GET' && path === '/v1/models') {
      if (loading) return sendError(res, LOADING_ERROR);
      return sendJson(res, 200, modelsBody());
    }
    const kind =
      path === '/v1/completions' ? 'completion' : path === '/v1/chat/completions' ? 'chat' : undefined;
    if (kind === undefined)
      return sendError(res, {
        status: 404,
        message: `Not found: ${req.method} ${path}`,
        type: 'NotFoundError',
        param: null,
      });
    if (req.method !== 'POST')
      return sendError(res, {
        status: 405,
        message: `Method ${req.method} not allowed on ${path}`,
        type: 'invalid_request_error',
        param: null,
      });
    const text = await readBody(req);
    if (text === undefined)
      return sendError(res, {
        status: 413,
        message: 'Request body too large',
        type: 'invalid_request_error',
        param: null,
      });
    if (loading || !live) return sendError(res, LOADING_ERROR);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return sendError(res, {
        status: 400,
        message: `Malformed JSON body: ${(error as Error).message}`,
        type: 'invalid_request_error',
        param: null,
      });
    }
    const request = parseGenerationRequest(kind, body, {
      servedModelName: config.servedModelName,
      maxModelLen: config.maxModelLen,
      blockSize: config.blockSize,
    });
    if (isApiError(request)) return sendError(res, request);
    generate(request, res, live);
  }

  function generate(
    request: Exclude<ReturnType<typeof parseGenerationRequest>, { status: number }>,
    res: ServerResponse,
    engine: LiveEngine,
  ): void {
    const id = ++serial;
    const outputTokens = request.ignoreEos
      ? request.maxTokens
      : naturalOutputTokens(rng.fork(id), request.maxTokens, request.minTokens);
    const reason = outputTokens >= request.maxTokens ? 'length' : 'stop';
    const writer = new ResponseWriter(
      request,
      id,
      Math.floor(clock.wallMs() / 1000),
      config.seed * 7919 + id,
    );
    counters.promptTokens += request.promptTokens;
    let done = false;
    if (request.stream) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const opening = writer.opening();
      if (opening) res.write(opening);
      else res.flushHeaders();
    }
    const engineId = engine.submit(
      { promptTokens: request.promptTokens, outputTokens, blockHashes: request.blockHashes },
      {
        onTokens(count, finished) {
          if (request.stream) res.write(writer.chunks(count, finished, reason));
          else writer.skip(count);
          if (!finished) return;
          done = true;
          if (request.stream) res.end();
          else sendJson(res, 200, writer.body(reason));
          if (reason === 'length') counters.finishedLength++;
          else counters.finishedStop++;
          finishedCount++;
          if (config.crashAfterRequests !== undefined && finishedCount >= config.crashAfterRequests) crash();
        },
      },
    );
    res.on('close', () => {
      if (done || state !== 'ready') return;
      counters.aborted++;
      engine.cancel(engineId);
    });
  }

  function crash(): void {
    const message = `RuntimeError: simulated engine crash after ${finishedCount} completed requests (CUDA error: an illegal memory access was encountered)`;
    log(`ERROR ${message}`);
    // Let the last answer leave before the process "dies".
    setImmediate(() => void shutdown({ code: 1, reason: 'crash', message }));
  }

  function modelsBody(): string {
    return JSON.stringify({
      object: 'list',
      data: [
        {
          id: config.servedModelName,
          object: 'model',
          created: Math.floor(clock.wallMs() / 1000),
          owned_by: 'inference-sim',
          root: config.model.name,
          max_model_len: config.maxModelLen,
          sim: {
            time_scale: k,
            engine: config.engine,
            gpu: config.gpu.name,
            num_gpus: config.numGpus,
            tensor_parallel_size: config.tensorParallel,
            pipeline_parallel_size: config.pipelineParallel,
            data_parallel_size: config.dataParallel,
            kv_cache_tokens: startup.plan?.kvCapacityTokens,
            seed: config.seed,
          },
        },
      ],
    });
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
