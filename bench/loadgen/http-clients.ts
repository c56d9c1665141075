// Which HTTP client streams SSE cheapest: node:http (keep-alive Agent), global fetch (undici) or got.
// Each drives the same streams from bench/loadgen/fast-server.ts as fast as the server writes them, parses
// every event with eventsource-parser plus JSON.parse, and reports client CPU microseconds per chunk.
// Run: npx tsx bench/loadgen/http-clients.ts [paced|burst]
import { Agent, request } from 'node:http';
import { createParser } from 'eventsource-parser';
import got from 'got';
import { spawnFastServer } from './spawn-fast-server.js';

const ROUNDS = 3;
// Two regimes: 'burst' (server writes as fast as it can, many chunks per network read) and 'paced'
// (every stream gets a chunk per millisecond, so nearly every read carries one chunk, as with a real engine).
const MODE = process.argv[2] === 'burst' ? 'burst' : 'paced';
const STREAMS = MODE === 'burst' ? 32 : 100;
const TOKENS = MODE === 'burst' ? 3_000 : 400;
const GAP_MS = MODE === 'burst' ? 0 : 1;

function body(i: number): string {
  return JSON.stringify({
    model: 'fast',
    prompt: `r${i} hello`,
    max_tokens: TOKENS,
    stream: true,
    gap_ms: GAP_MS,
  });
}

function consumer(): { feed(text: string): void; chunks: () => number } {
  let chunks = 0;
  const parser = createParser({
    onEvent(e) {
      if (e.data === '[DONE]') return;
      const j = JSON.parse(e.data) as { choices: { text: string }[] };
      if (typeof j.choices[0]?.text === 'string') chunks++;
    },
  });
  return { feed: (t) => parser.feed(t), chunks: () => chunks };
}

async function viaHttp(url: string, agent: Agent, i: number): Promise<number> {
  const c = consumer();
  await new Promise<void>((resolve, reject) => {
    const req = request(`${url}/v1/completions`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (t: string) => c.feed(t));
      res.on('end', resolve);
    });
    req.end(body(i));
  });
  return c.chunks();
}

async function viaFetch(url: string, i: number): Promise<number> {
  const c = consumer();
  const res = await fetch(`${url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(i),
  });
  const decoder = new TextDecoder();
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    c.feed(decoder.decode(part, { stream: true }));
  }
  return c.chunks();
}

async function viaGot(url: string, i: number): Promise<number> {
  const c = consumer();
  const stream = got.stream.post(`${url}/v1/completions`, {
    body: body(i),
    headers: { 'content-type': 'application/json' },
  });
  stream.setEncoding('utf8');
  for await (const t of stream) c.feed(t as string);
  return c.chunks();
}

async function measure(name: string, run: (i: number) => Promise<number>): Promise<[string, number, number]> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const counts = await Promise.all(Array.from({ length: STREAMS }, (_, i) => run(i)));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const chunks = counts.reduce((a, b) => a + b, 0);
  if (chunks !== STREAMS * TOKENS) throw new Error(`${name}: got ${chunks} chunks`);
  return [name, (cpu.user + cpu.system) / chunks, chunks / (wallMs / 1000)];
}

const server = await spawnFastServer();
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
const totals = new Map<string, { cpuUs: number[]; rate: number[] }>();
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of [
      ['node:http + keep-alive Agent', (i: number) => viaHttp(server.url, agent, i)],
      ['fetch (undici)', (i: number) => viaFetch(server.url, i)],
      ['got stream', (i: number) => viaGot(server.url, i)],
    ] as const) {
      const [n, cpuUs, rate] = await measure(name, run);
      const entry = totals.get(n) ?? { cpuUs: [], rate: [] };
      entry.cpuUs.push(cpuUs);
      entry.rate.push(rate);
      totals.set(n, entry);
    }
  }
} finally {
  agent.destroy();
  await server.stop();
}
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
console.log(`${MODE}: ${STREAMS} streams x ${TOKENS} chunks, ${ROUNDS} rounds (median)`);
console.log('| client | client CPU per chunk (us) | chunks/s received |');
console.log('|---|---|---|');
for (const [name, t] of totals) {
  console.log(
    `| ${name} | ${median(t.cpuUs).toFixed(2)} | ${Math.round(median(t.rate)).toLocaleString('en-US')} |`,
  );
}
