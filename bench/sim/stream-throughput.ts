// How many streamed tokens per second one inference-sim process sustains, and its CPU cost per token.
// Usage: npx tsx bench/sim/stream-throughput.ts [--seconds 6] [--concurrency 64]
// Two server settings: "instant" (time scale 1e6: tokens of a request leave in few writes, pure server cost)
// and "paced" (llama-3.2-1b at time scale 4 (--paced-time-scale): sub-ms steps, about one SSE write per token).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { simExecutable } from '../../src/runtimes/adapters/sim-executable.js';

const argValue = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const seconds = argValue('--seconds', 6);
const concurrency = argValue('--concurrency', 64);

// utime + stime of a process in seconds (Linux /proc).
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// One streaming (or not) request; resolves with the number of tokens received.
function generate(url: URL, stream: boolean, maxTokens: number): Promise<number> {
  const body = JSON.stringify({ prompt: 'w '.repeat(64), max_tokens: maxTokens, ignore_eos: true, stream });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        let tokens = 0;
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!stream) {
            tail += chunk;
            return;
          }
          // Count token events without parsing JSON: each carries `"text":" word"`.
          const text = tail + chunk;
          let at = text.indexOf('"text":" ');
          while (at >= 0) {
            tokens++;
            at = text.indexOf('"text":" ', at + 9);
          }
          tail = text.slice(-8);
        });
        res.on('end', () => resolve(stream ? tokens : JSON.parse(tail).usage.completion_tokens));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(
  base: string,
  pid: number,
  stream: boolean,
): Promise<{ tokensPerS: number; cpuUsPerToken: number; cpuShare: number }> {
  const url = new URL('/v1/completions', base);
  const deadline = performance.now() + seconds * 1000;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  let tokens = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        // Read the result first: `tokens += await ...` would read `tokens` before awaiting and lose updates.
        const received = await generate(url, stream, 1000);
        tokens += received;
      }
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds(pid) - cpu0;
  return { tokensPerS: tokens / wallS, cpuUsPerToken: (cpuS / tokens) * 1e6, cpuShare: cpuS / wallS };
}

async function startSim(flags: string[]): Promise<{ base: string; child: ReturnType<typeof spawn> }> {
  const { command, args } = simExecutable();
  const child = spawn(
    command,
    [...args, '--port', '0', '--load-time-scale', '0', '--max-num-seqs', '1024', ...flags],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`inference-sim exited with ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { base, child };
}

async function main(): Promise<void> {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const line = (label: string, r: Awaited<ReturnType<typeof measure>>) =>
    console.log(
      `${label.padEnd(26)} ${fmt(r.tokensPerS).padStart(9)} tokens/s  ${r.cpuUsPerToken.toFixed(2).padStart(6)} us sim CPU/token  sim CPU ${(r.cpuShare * 100).toFixed(0)}% of a core  => ${fmt(1e6 / r.cpuUsPerToken)} tokens per sim CPU-second`,
    );
  console.log(`node ${process.version}, ${concurrency} concurrent clients, ${seconds} s per row`);
  const instant = await startSim(['--time-scale', '1000000']);
  const pid = instant.child.pid as number;
  const streamed = await measure(instant.base, pid, true);
  const whole = await measure(instant.base, pid, false);
  instant.child.kill('SIGTERM');
  const paced = await startSim([
    '--time-scale',
    String(argValue('--paced-time-scale', 4)),
    '--model',
    'llama-3.2-1b',
  ]);
  const pacedStreamed = await measure(paced.base, paced.child.pid as number, true);
  paced.child.kill('SIGTERM');
  line('instant, streamed', streamed);
  line('instant, non-streamed', whole);
  line('paced (1 write/token)', pacedStreamed);
  console.log(
    `ratio paced/instant streamed CPU per token: ${(pacedStreamed.cpuUsPerToken / streamed.cpuUsPerToken).toFixed(2)}`,
  );
}

await main();
