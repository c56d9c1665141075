// A real local OpenAI-compatible HTTP server whose token timing and failures are scripted exactly.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How a scripted stream breaks after `afterTokens` token chunks. */
export type ScriptedFailure =
  | { kind: 'malformed'; afterTokens: number }
  | { kind: 'disconnect'; afterTokens: number }
  | { kind: 'hang'; afterTokens: number }
  | { kind: 'error-event'; afterTokens: number };

/** What the server does for one request. */
export type Script =
  | {
      kind: 'stream';
      /** Delay from request receipt to the first token chunk. */
      ttftMs: number;
      /** Gap before each later token chunk (one value for all, or one per gap). */
      gapMs: number | readonly number[];
      /** Number of token chunks. */
      tokens: number;
      /** Send a usage chunk when the client asks for it. @default true */
      usage?: boolean;
      /** Generated tokens carried by each chunk (for usage). @default 1 */
      tokensPerChunk?: number;
      /** Token chunks (0-based) whose text is empty, like an incomplete UTF-8 byte token. */
      emptyTextAt?: readonly number[];
      /** Reported prompt tokens. @default whitespace words of the prompt plus one */
      promptTokens?: number;
      failure?: ScriptedFailure;
      /** Drop the connection after the response without saying so, so a reused socket fails (llama-server). */
      closeAfterResponse?: boolean;
    }
  | { kind: 'status'; status: number; body: string };

/** What the server saw and did for one request; times are epoch milliseconds with sub-ms resolution. */
export interface ServedRequest {
  index: number;
  path: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  receivedAtMs: number;
  /** When each token chunk was written. */
  tokenWritesMs: number[];
  finishedAtMs?: number;
}

/** A started scripted server. */
export interface ScriptedServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  requests: ServedRequest[];
  /** Sockets currently open on the server side. */
  openConnections(): number;
  close(): Promise<void>;
}

/** Epoch milliseconds with sub-millisecond resolution (comparable across processes). */
export const epochNowMs = (): number => performance.timeOrigin + performance.now();

/** Whitespace-separated words of a prompt plus one (a BOS token); the server's token-counting rule. */
export function countScriptedPromptTokens(body: Record<string, unknown>): number {
  let text = '';
  if (typeof body['prompt'] === 'string') text = body['prompt'];
  else if (Array.isArray(body['messages'])) {
    text = body['messages'].map((m: { content?: unknown }) => String(m.content ?? '')).join(' ');
  }
  const words = text.split(/\s+/).filter((w) => w.length > 0).length;
  return words + 1;
}

/** Starts the server on 127.0.0.1 (random port); `script` decides each request's behaviour. */
export async function startScriptedServer(
  script: (body: Record<string, unknown>, index: number) => Script,
): Promise<ScriptedServer> {
  const requests: ServedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const dying = new WeakSet<Socket>();
  const server = createServer((req, res) => {
    // The connection was already "closed" after its last response: drop whatever arrives on it.
    if (dying.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const receivedAtMs = epochNowMs();
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] }));
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end('bad json');
        return;
      }
      const served: ServedRequest = {
        index: requests.length,
        path: req.url ?? '',
        body,
        headers: req.headers,
        receivedAtMs,
        tokenWritesMs: [],
      };
      requests.push(served);
      const plan = script(body, served.index);
      if (plan.kind === 'status') {
        res.writeHead(plan.status, { 'content-type': 'application/json' });
        res.end(plan.body, () => {
          served.finishedAtMs = epochNowMs();
        });
        return;
      }
      streamScript(plan, body, served, res, timers, dying);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = async (): Promise<void> => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    openConnections: () => sockets.size,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function streamScript(
  plan: Extract<Script, { kind: 'stream' }>,
  body: Record<string, unknown>,
  served: ServedRequest,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
  dying: WeakSet<Socket>,
): void {
  const chat = served.path.includes('/chat/');
  const model = String(body['model'] ?? 'scripted');
  const base = { id: `req-${served.index}`, created: 0, model };
  const object = chat ? 'chat.completion.chunk' : 'text_completion';
  const write = (payload: unknown): void => {
    res.write(`data: ${JSON.stringify(payload)}\n\n`);
  };
  const choice = (text: string, finish: string | null): Record<string, unknown> =>
    chat
      ? { index: 0, delta: { content: text }, finish_reason: finish }
      : { index: 0, text, logprobs: null, finish_reason: finish };
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // Like vLLM's chat endpoint: a role-only chunk with empty content goes out before any token exists.
  if (chat) write({ ...base, object, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] });
  const gaps = plan.gapMs;
  const offsets: number[] = [];
  let at = plan.ttftMs;
  for (let k = 0; k < plan.tokens; k++) {
    if (k > 0) at += typeof gaps === 'number' ? gaps : (gaps[k - 1] ?? 0);
    offsets.push(at);
  }
  const start = performance.now();
  const failure = plan.failure;
  const finish = (): void => {
    const wantsUsage = (body['stream_options'] as { include_usage?: boolean } | undefined)?.include_usage;
    if ((plan.usage ?? true) && wantsUsage) {
      const promptTokens = plan.promptTokens ?? countScriptedPromptTokens(body);
      const completionTokens = plan.tokens * (plan.tokensPerChunk ?? 1);
      write({
        ...base,
        object,
        choices: [],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      });
    }
    // Marked before the end: the response lets go of its socket once finished.
    if (plan.closeAfterResponse && res.socket) dying.add(res.socket);
    res.end('data: [DONE]\n\n', () => {
      served.finishedAtMs = epochNowMs();
    });
  };
  const step = (k: number): void => {
    if (failure && k === failure.afterTokens) {
      if (failure.kind === 'malformed') res.write('data: {"choices": [{"text": "unterminated\n\n');
      else if (failure.kind === 'error-event')
        write({ error: { message: 'scripted engine failure', code: 500 } });
      else if (failure.kind === 'disconnect') {
        res.socket?.destroy();
        return;
      }
      // 'hang' (and the two above) keep the connection open with nothing more to say.
      return;
    }
    if (k === plan.tokens) {
      finish();
      return;
    }
    const delayMs = Math.max(0, start + (offsets[k] ?? 0) - performance.now());
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (res.destroyed) return;
      const empty = plan.emptyTextAt?.includes(k) ?? false;
      const last = k === plan.tokens - 1;
      write({ ...base, object, choices: [choice(empty ? '' : ` t${k}`, last ? 'length' : null)] });
      served.tokenWritesMs.push(epochNowMs());
      step(k + 1);
    }, delayMs);
    timers.add(timer);
  };
  step(0);
}
