// inference-sim as a real process over HTTP: health, streaming and non-streaming answers, metrics, bad requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, type SimProcess, spawnSim, waitForStatus } from './sim-process.js';

// Loading takes ~3.9 s of real time (77 s simulated at time scale 20): the first health probe lands inside it
// however late a busy machine lets the test send it.
const FAST = ['--port', '0', '--time-scale', '20', '--load-time-scale', '5'];

describe('inference-sim process', () => {
  let sim: SimProcess;
  let url: string;
  let healthSeen: number[];

  beforeAll(async () => {
    sim = await spawnSim([...FAST, '--model', 'llama-3.1-8b', '--gpu', 'h100', '--max-num-seqs', '64']);
    if (!sim.url) throw new Error(`simulator did not start: ${sim.stderr()}`);
    url = sim.url;
    healthSeen = await waitForStatus(`${url}/health`, 200);
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('answers 503 on /health while loading and 200 afterwards', () => {
    expect(healthSeen[0]).toBe(503);
    expect(healthSeen.at(-1)).toBe(200);
  });

  it('streams a completion with exactly max_tokens tokens and usage', async () => {
    const res = await postJson(`${url}/v1/completions`, {
      model: 'llama-3.1-8b',
      prompt: 'one two three four five six seven eight',
      max_tokens: 25,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-sim-time-scale')).toBe('20');
    const events = res.text.split('\n\n').filter((e) => e.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    const texts = chunks
      .flatMap((c) => c.choices.map((choice: { text: string }) => choice.text))
      .filter((t) => t);
    expect(texts).toHaveLength(25);
    expect(chunks.at(-1).usage).toEqual({ prompt_tokens: 8, completion_tokens: 25, total_tokens: 33 });
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'length')).toBe(true);
  });

  it('answers a non-streaming chat completion with usage', async () => {
    const res = await postJson(`${url}/v1/chat/completions`, {
      model: 'llama-3.1-8b',
      messages: [{ role: 'user', content: 'say something short' }],
      max_tokens: 7,
      ignore_eos: true,
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.content.trim().split(/\s+/)).toHaveLength(7);
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 7, total_tokens: 10 });
  });

  it('stops early without ignore_eos but never beyond max_tokens', async () => {
    const lengths = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const res = await postJson(`${url}/v1/completions`, { prompt: 'hi', max_tokens: 400 });
        return JSON.parse(res.text).usage.completion_tokens as number;
      }),
    );
    for (const length of lengths) expect(length).toBeLessThanOrEqual(400);
    expect(lengths.some((length) => length < 400)).toBe(true);
  });

  it('lists the model with time-scale metadata', async () => {
    const body = (await (await fetch(`${url}/v1/models`)).json()) as { data: unknown[] };
    expect(body.data[0]).toMatchObject({
      id: 'llama-3.1-8b',
      object: 'model',
      sim: { time_scale: 20, engine: 'vllm' },
    });
  });

  it('reports running requests and token counters on /metrics', async () => {
    const load = Array.from({ length: 8 }, () =>
      postJson(`${url}/v1/completions`, { prompt: 'w '.repeat(300), max_tokens: 1500, ignore_eos: true }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = await (await fetch(`${url}/metrics`)).text();
    await Promise.all(load);
    const after = await (await fetch(`${url}/metrics`)).text();
    const value = (text: string, name: string) =>
      Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    expect(value(during, 'vllm:num_requests_running')).toBeGreaterThan(0);
    expect(value(during, 'vllm:kv_cache_usage_perc')).toBeGreaterThan(0);
    expect(value(after, 'vllm:num_requests_running')).toBe(0);
    expect(value(after, 'vllm:generation_tokens_total')).toBeGreaterThanOrEqual(8 * 1500);
    expect(value(after, 'vllm:prompt_tokens_total')).toBeGreaterThanOrEqual(8 * 300);
    expect(after).toContain('# TYPE vllm:time_to_first_token_seconds histogram');
  });

  it.each([
    ['malformed JSON', '/v1/completions', '{"prompt": ', 400],
    ['a missing prompt', '/v1/completions', { model: 'llama-3.1-8b', max_tokens: 4 }, 400],
    ['missing messages', '/v1/chat/completions', { model: 'llama-3.1-8b' }, 400],
    ['max_tokens = 0', '/v1/completions', { prompt: 'hi', max_tokens: 0 }, 400],
    [
      'max_tokens < 0',
      '/v1/chat/completions',
      { messages: [{ role: 'user', content: 'x' }], max_tokens: -1 },
      400,
    ],
    ['an unknown model', '/v1/completions', { model: 'gpt-4o', prompt: 'hi' }, 404],
    ['an unknown path', '/v1/embeddings', { input: 'hi' }, 404],
  ])('answers %s with an OpenAI-style error', async (_name, path, body, status) => {
    const res = await postJson(`${url}${path}`, body);
    expect(res.status).toBe(status);
    const error = JSON.parse(res.text).error;
    expect(typeof error.message).toBe('string');
    expect(typeof error.type).toBe('string');
  });
});
