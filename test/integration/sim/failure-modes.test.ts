// inference-sim failure modes as a real process: bad flags, busy port, start-up failures, mid-run crash.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, spawnSim, waitForStatus } from './sim-process.js';

const FAST = ['--port', '0', '--time-scale', '50', '--load-time-scale', '0.5'];

describe('inference-sim failures', () => {
  let blocker: Server;
  let busyPort: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it.each([
    [['--frobnicate'], 2, 'vllm serve: error: unrecognized arguments: --frobnicate'],
    [
      ['--engine', 'sglang', '--max-num-seqs', '4'],
      2,
      'launch_server.py: error: unrecognized arguments: --max-num-seqs',
    ],
    [['--engine', 'llamacpp', '--tp-size', '2'], 1, 'error: invalid argument: --tp-size'],
    [['--max-num-seqs', 'lots'], 2, "invalid int value: 'lots'"],
    [['--time-scale', '0'], 2, 'timeScale'],
  ])('exits on bad flags %j', async (args, code, message) => {
    const sim = await spawnSim(args);
    expect(sim.url).toBeUndefined();
    expect((await sim.exit).code).toBe(code);
    expect(sim.stderr()).toContain(message);
  });

  it('exits non-zero with a clear message when the port is taken', async () => {
    const sim = await spawnSim(['--port', String(busyPort)]);
    expect(sim.url).toBeUndefined();
    expect((await sim.exit).code).toBe(1);
    expect(sim.stderr()).toMatch(/Port already in use: 127\.0\.0\.1:\d+/);
  });

  it.each([
    ['OOM while loading weights', ['--model', 'llama-3.1-70b'], /CUDA out of memory/],
    [
      'heads not divisible by tp',
      ['--model', 'llama-3.1-8b', '-tp', '3', '--num-gpus', '4'],
      /must be divisible by tensor parallel size \(3\)/,
    ],
    [
      'too little KV for one sequence',
      ['--model', 'llama-3.1-70b', '-tp', '2', '--num-gpus', '2'],
      /To serve at least one request/,
    ],
    ['a random start-up crash', ['--startup-crash-rate', '1'], /simulated start-up crash/],
    [
      'an SGLang layout needing more GPUs',
      ['--engine', 'sglang', '--tp-size', '2', '--dp-size', '2', '--num-gpus', '2'],
      /needs 4 GPUs/,
    ],
  ])('%s: /health stays 503, then the process exits 1 with the reason', async (_name, args, message) => {
    const sim = await spawnSim([...FAST, ...args]);
    if (!sim.url) throw new Error(`did not listen: ${sim.stderr()}`);
    const first = await fetch(`${sim.url}/health`).then(
      (res) => res.status,
      () => 0,
    );
    expect([503, 0]).toContain(first);
    expect((await sim.exit).code).toBe(1);
    expect(sim.stderr()).toMatch(message);
  });

  it('crashes after the configured number of completed requests', async () => {
    const sim = await spawnSim([...FAST, '--crash-after-requests', '2']);
    if (!sim.url) throw new Error(`did not listen: ${sim.stderr()}`);
    await waitForStatus(`${sim.url}/health`, 200);
    for (let i = 0; i < 2; i++) {
      const res = await postJson(`${sim.url}/v1/completions`, {
        prompt: 'hello',
        max_tokens: 3,
        ignore_eos: true,
      });
      expect(res.status).toBe(200);
    }
    expect((await sim.exit).code).toBe(1);
    expect(sim.stderr()).toContain('simulated engine crash after 2 completed requests');
    await expect(fetch(`${sim.url}/health`)).rejects.toThrow();
  });

  it('exits 0 on SIGTERM', async () => {
    const sim = await spawnSim(FAST);
    if (!sim.url) throw new Error(`did not listen: ${sim.stderr()}`);
    sim.child.kill('SIGTERM');
    expect((await sim.exit).code).toBe(0);
  });

  it.each([
    [
      [
        '--engine',
        'sglang',
        '--tp-size',
        '1',
        '--mem-fraction-static',
        '0.8',
        '--chunked-prefill-size',
        '2048',
      ],
    ],
    [['--engine', 'llamacpp', '-np', '2', '-c', '8192', '-t', '4', '--metrics']],
  ])('serves with the %j flavour', async (args) => {
    const sim = await spawnSim([...FAST, ...args]);
    try {
      if (!sim.url) throw new Error(`did not listen: ${sim.stderr()}`);
      await waitForStatus(`${sim.url}/health`, 200);
      const res = await postJson(`${sim.url}/v1/completions`, {
        prompt: 'a b c',
        max_tokens: 5,
        ignore_eos: true,
      });
      expect(JSON.parse(res.text).usage.completion_tokens).toBe(5);
    } finally {
      await sim.stop();
    }
  });
});
