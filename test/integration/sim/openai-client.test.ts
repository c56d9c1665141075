// The official openai npm client streams completions and chat from a simulator process.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimProcess, spawnSim, waitForStatus } from './sim-process.js';

describe('openai client against inference-sim', () => {
  let sim: SimProcess;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await spawnSim([
      '--port',
      '0',
      '--time-scale',
      '20',
      '--load-time-scale',
      '0.2',
      '--served-model-name',
      'sim-llama',
    ]);
    if (!sim.url) throw new Error(`simulator did not start: ${sim.stderr()}`);
    await waitForStatus(`${sim.url}/health`, 200);
    client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'not-needed', maxRetries: 0 });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('lists the served model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['sim-llama']);
  });

  it('streams a completion with usage', async () => {
    const stream = await client.completions.create({
      model: 'sim-llama',
      prompt: 'The quick brown fox',
      max_tokens: 12,
      stream: true,
      stream_options: { include_usage: true },
      // vLLM extension accepted by the simulator.
      ...({ ignore_eos: true } as object),
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.trim().split(/\s+/)).toHaveLength(12);
    expect(usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 12, total_tokens: 16 });
  });

  it('streams a chat completion', async () => {
    const stream = await client.chat.completions.create({
      model: 'sim-llama',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Count to ten.' },
      ],
      max_completion_tokens: 9,
      stream: true,
      stream_options: { include_usage: true },
      ...({ ignore_eos: true } as object),
    });
    const deltas: string[] = [];
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas).toHaveLength(9);
    expect(finish).toBe('length');
    expect(usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 9 });
  });

  it('surfaces OpenAI-style errors as APIError', async () => {
    await expect(
      client.completions.create({ model: 'sim-llama', prompt: 'hi', max_tokens: 0 }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(client.completions.create({ model: 'other', prompt: 'hi' })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });
});
