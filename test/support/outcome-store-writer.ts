// A process that adds `count` measured outcomes to a store file: two of these at once show that concurrent
// studies append to one store without tearing a line. argv: dir, writer name, count.
import { openOutcomeStore } from '../../src/tune/outcome-store.js';

const [dir = '', name = 'w', count = '0'] = process.argv.slice(2);
const key = { engine: 'vllm', engineVersion: 'vLLM 0.22.0', model: 'llama-3.1-8b-instruct', gpu: 'l4' };
const store = await openOutcomeStore(dir, key);
const stats = { mean: 1, p50: 1, p90: 1, p95: 1, p99: 1 };
for (let i = 0; i < Number(count); i++)
  await store.add({
    kind: 'measured',
    args: ['serve', 'model', '--max-num-seqs', String(i), '--writer', name, '--padding', 'x'.repeat(600)],
    metrics: {
      ttftMs: stats,
      tpotMs: stats,
      itlMs: stats,
      e2eMs: stats,
      requestsPerS: i,
      inputTokensPerS: i,
      outputTokensPerS: i,
      totalTokensPerS: i,
      errorRate: 0,
      requestCount: 1,
    },
    study: name,
    at: new Date().toISOString(),
  });
