// HTTP routes of the simulated engine: health, metrics, models and the OpenAI generation endpoints.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../errors.js';
import type { Clock } from '../util/clock.js';
import type { Rng } from '../util/rng.js';
import { LOADING_ERROR, readBody, sendError, sendJson } from './http-util.js';
import type { LiveEngine } from './live-engine.js';
import { metricsText, type ServerCounters } from './metrics-text.js';
import { type GenerationRequest, isApiError, parseGenerationRequest } from './openai-request.js';
import { ResponseWriter } from './openai-response.js';
import type { SimConfig } from './sim-config.js';
import { IDLE_ENGINE_STATS } from './sim-engine.js';
import { naturalOutputTokens } from './tokens.js';

/** Lifecycle state of a simulated server. */
export type SimServerState = 'loading' | 'ready' | 'failed' | 'crashed' | 'closed';

/** What the routes need from the server that owns them. */
export interface RouteContext {
  config: SimConfig;
  counters: ServerCounters;
  clock: Clock;
  rng: Rng;
  kvCapacityTokens: number | undefined;
  state(): SimServerState;
  live(): LiveEngine | undefined;
  /** Called once per completed generation (the crash knob counts them). */
  onCompleted(): void;
}

/** Builds the request handler of a simulated server. */
export function createRoutes(
  ctx: RouteContext,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config, counters, clock, rng } = ctx;
  const k = config.timeScale;
  let serial = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-sim-time-scale', String(k));
    const path = (req.url ?? '/').split('?')[0];
    const loading = ctx.state() !== 'ready';
    if (req.method === 'GET' && (path === '/health' || path === '/health_generate')) {
      if (loading) return sendError(res, LOADING_ERROR);
      return sendJson(res, 200, config.engine === 'llamacpp' ? '{"status":"ok"}' : '{}');
    }
    if (req.method === 'GET' && path === '/metrics') {
      const stats = ctx.live()?.engine.stats() ?? IDLE_ENGINE_STATS;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      const capacity = loading ? undefined : ctx.kvCapacityTokens;
      const cache =
        capacity === undefined
          ? undefined
          : {
              blockSize: config.blockSize,
              numGpuBlocks: Math.floor(capacity / config.blockSize),
              gpuMemoryUtilization: config.gpuMemoryUtilization,
            };
      return void res.end(metricsText(config.engine, config.servedModelName, stats, counters, cache));
    }
    if (req.method === 'GET' && path === '/version')
      return sendJson(res, 200, JSON.stringify({ version: config.engineVersion }));
    if (req.method === 'GET' && (path === '/server_info' || path === '/get_server_info')) {
      // SGLang's server info carries the KV pool's size in tokens once the engine has started.
      const capacity = loading ? undefined : ctx.kvCapacityTokens;
      return sendJson(
        res,
        200,
        JSON.stringify({
          version: config.engineVersion,
          ...(capacity !== undefined ? { max_total_num_tokens: capacity } : {}),
        }),
      );
    }
    if (req.method === 'GET' && path === '/props')
      return sendJson(
        res,
        200,
        JSON.stringify({ build_info: config.engineVersion, total_slots: config.maxNumSeqs }),
      );
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
    const live = ctx.live();
    if (loading || !live) return sendError(res, LOADING_ERROR);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return sendError(res, {
        status: 400,
        message: `Malformed JSON body: ${errorMessage(error)}`,
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

  function generate(request: GenerationRequest, res: ServerResponse, engine: LiveEngine): void {
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
          ctx.onCompleted();
        },
      },
    );
    res.on('close', () => {
      if (done || ctx.state() !== 'ready') return;
      counters.aborted++;
      engine.cancel(engineId);
    });
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
            kv_cache_tokens: ctx.kvCapacityTokens,
            seed: config.seed,
            // Prompt tokens are whitespace-separated words; each generated token is one word.
            token_counting: 'whitespace-words',
          },
        },
      ],
    });
  }

  return handle;
}
