// A fast streaming completions server for the load-generator benchmarks, run as its own process.
// Every token chunk carries `t`, its write time in epoch milliseconds (sub-ms), so a client can measure
// how late it saw each chunk. The request body's `gap_ms` sets the per-token gap (0: as fast as possible);
// GET /log returns the write times per request, keyed by the first word of the prompt; GET /metrics a vLLM-shaped
// Prometheus page; GET /slots a llama-server-shaped list of SLOTS (default 128) slots, the open streams' busy.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { llamaSlotsPage } from './llama-slots-page.js';
import { vllmMetricsPage } from './vllm-metrics-page.js';

const SLOTS = Number(process.env['SLOTS'] ?? 128);

const epochNowMs = (): number => performance.timeOrigin + performance.now();

interface Stream {
  res: ServerResponse;
  key: string;
  total: number;
  sent: number;
  gapMs: number;
  nextAtMs: number;
  usage: boolean;
  promptTokens: number;
}

const active = new Set<Stream>();
const log = new Map<string, number[]>();
let ticker: NodeJS.Timeout | undefined;
let scrapes = 0;

function writeToken(s: Stream): void {
  const t = epochNowMs();
  const last = s.sent === s.total - 1;
  s.res.write(
    `data: {"id":"cmpl-${s.key}","object":"text_completion","created":0,"model":"fast","choices":[{"index":0,"text":" tok","logprobs":null,"finish_reason":${last ? '"length"' : 'null'}}],"t":${t}}\n\n`,
  );
  log.get(s.key)?.push(t);
  s.sent++;
  if (s.sent === s.total) {
    if (s.usage) {
      s.res.write(
        `data: {"id":"cmpl-${s.key}","object":"text_completion","created":0,"model":"fast","choices":[],"usage":{"prompt_tokens":${s.promptTokens},"completion_tokens":${s.total},"total_tokens":${s.promptTokens + s.total}}}\n\n`,
      );
    }
    s.res.end('data: [DONE]\n\n');
    active.delete(s);
  }
}

function tick(): void {
  const now = performance.now();
  for (const s of active) {
    while (s.sent < s.total && s.nextAtMs <= now) {
      writeToken(s);
      s.nextAtMs += s.gapMs;
    }
  }
  if (active.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

function blast(s: Stream): void {
  while (s.sent < s.total) {
    writeToken(s);
    if (s.res.writableNeedDrain) {
      s.res.once('drain', () => blast(s));
      return;
    }
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/v1/models') {
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'fast', object: 'model' }] }));
    return;
  }
  if (req.method === 'GET' && req.url === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(vllmMetricsPage(++scrapes));
    return;
  }
  if (req.method === 'GET' && req.url === '/slots') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(llamaSlotsPage(SLOTS, Math.min(active.size, SLOTS), 200));
    return;
  }
  if (req.method === 'GET' && req.url === '/log') {
    res.end(JSON.stringify(Object.fromEntries(log)));
    log.clear();
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as {
      prompt?: string;
      max_tokens?: number;
      gap_ms?: number;
      ttft_ms?: number;
      stream_options?: { include_usage?: boolean };
    };
    const prompt = body.prompt ?? '';
    const key = prompt.split(' ', 1)[0] ?? '';
    log.set(key, []);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    const gapMs = body.gap_ms ?? 1;
    const s: Stream = {
      res,
      key,
      total: body.max_tokens ?? 16,
      sent: 0,
      gapMs,
      nextAtMs: performance.now() + (body.ttft_ms ?? gapMs),
      usage: body.stream_options?.include_usage ?? false,
      promptTokens: prompt.split(' ').length,
    };
    res.on('close', () => active.delete(s));
    if (gapMs <= 0) {
      blast(s);
      return;
    }
    active.add(s);
    ticker ??= setInterval(tick, 0.5);
  });
});

// Small writes go out at once (no Nagle), as real engines' servers do.
server.on('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
