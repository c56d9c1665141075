// Child process of the host GPU lease tests. `race DIR GPU MARKS MS`: waits for MARKS/go, then for MS claims and
// releases GPU over and over; while it holds it, it owns MARKS/inside (created exclusively, so two holders at once
// are seen), and prints { claims, overlaps }. `hold DIR GPU`: claims GPU, prints "held" and waits to be killed.
import { closeSync, existsSync, openSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostGpuLeases } from '../../src/gpu/host-gpu-leases.js';

const [mode, dir = '', gpu = '', marks = '', ms = '1000'] = process.argv.slice(2);
const leases = new HostGpuLeases({ dir, studyId: `child-${process.pid}` });

if (mode === 'hold') {
  if (!leases.claim([gpu])) throw new Error('cannot claim');
  process.stdout.write('held\n');
  await sleep(600_000);
} else {
  process.stdout.write('ready\n');
  while (!existsSync(path.join(marks, 'go'))) await sleep(5);
  const inside = path.join(marks, 'inside');
  let claims = 0;
  let overlaps = 0;
  const endMs = Date.now() + Number(ms);
  while (Date.now() < endMs) {
    if (!leases.claim([gpu])) continue;
    claims++;
    try {
      closeSync(openSync(inside, 'wx'));
      // Hold a little, so the other process tries while the GPU is taken.
      for (let i = 0; i < 2_000; i++) Math.sqrt(i);
      unlinkSync(inside);
    } catch {
      overlaps++;
    }
    leases.release([gpu]);
  }
  process.stdout.write(`${JSON.stringify({ claims, overlaps })}\n`);
}
