// Controller overhead: readiness detection lag (server ready -> launch() returns) and teardown time
// (stop() call -> everything gone), this library's readiness loop side by side with a fixed 5 s poll.
// Usage: npx tsx bench/overhead/overhead.ts [--controllers local,kubernetes] [--runs 5] [--ready-after-ms 1500]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kubernetesFakeTarget } from './kubernetes-fake-target.js';
import { localTarget } from './local-target.js';
import type { OverheadTarget } from './overhead-target.js';

const { values } = parseArgs({
  options: {
    controllers: { type: 'string', default: 'local,kubernetes' },
    runs: { type: 'string', default: '5' },
    'ready-after-ms': { type: 'string', default: '1500' },
    'poll-ms': { type: 'string', default: '5000' },
  },
});

async function targets(names: string[]): Promise<OverheadTarget[]> {
  const out: OverheadTarget[] = [];
  for (const name of names) {
    if (name === 'local') out.push(localTarget);
    else if (name === 'kubernetes') out.push(kubernetesFakeTarget);
    else if (name === 'docker') {
      // The Docker target lives beside this file once the Docker controller provides it.
      const file = fileURLToPath(new URL('./docker-target.ts', import.meta.url));
      if (!existsSync(file)) throw new Error('docker target missing: bench/overhead/docker-target.ts');
      const module = (await import(file)) as { dockerTarget: OverheadTarget };
      out.push(module.dockerTarget);
    } else throw new Error(`unknown controller ${JSON.stringify(name)} (local, docker, kubernetes)`);
  }
  return out;
}

interface Sample {
  lagMs: number;
  teardownMs: number;
}

async function measure(
  target: OverheadTarget,
  fixedPollMs: number | undefined,
  run: number,
): Promise<Sample> {
  // Ready instants spread evenly over one poll period, so a fixed poll is measured at every phase.
  const readyAfterMs =
    Number(values['ready-after-ms']) + Math.round((run * Number(values['poll-ms'])) / runs);
  const handle = await target.controller(fixedPollMs).launch(target.spec(readyAfterMs, run));
  const returnedAt = Date.now();
  const match = /ready-at-ms=(\d+)/.exec(await handle.logs({ tail: 1_000 }));
  if (!match) throw new Error(`no ready-at-ms line in the logs of ${target.name}`);
  const stopStart = performance.now();
  await handle.stop();
  return { lagMs: returnedAt - Number(match[1]), teardownMs: performance.now() - stopStart };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (max ${Math.max(...xs).toFixed(0)})`;

const runs = Number(values.runs);
const pollMs = Number(values['poll-ms']);
const rows: string[] = [];
for (const target of await targets(String(values.controllers).split(','))) {
  const dispose = await target.setup();
  try {
    for (const [label, fixed] of [
      ['readiness loop (50 ms, backoff to 500 ms)', undefined],
      [`fixed ${pollMs / 1000} s poll (original)`, pollMs],
    ] as const) {
      const samples: Sample[] = [];
      for (let run = 0; run < runs; run++) samples.push(await measure(target, fixed, run));
      rows.push(
        `| ${target.name} | ${label} | ${fmt(samples.map((s) => s.lagMs))} | ${fmt(samples.map((s) => s.teardownMs))} |`,
      );
      process.stderr.write(`${rows.at(-1)}\n`);
    }
  } finally {
    await dispose();
  }
}
console.log(
  `runs per row: ${runs}; server ready ${values['ready-after-ms']} ms + k/${runs} of ${pollMs} ms after start (k = 0..${runs - 1}); median (max) in ms\n`,
);
console.log('| controller | readiness polling | ready -> handle returned, ms | stop() -> gone, ms |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
