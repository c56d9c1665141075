// What one scrape costs the tuner's process: parsing a vLLM-shaped /metrics page (bench/loadgen/vllm-metrics-page.ts)
// with parse-prometheus-text-format, as parsePrometheusSamples does on every sample.
// Run: npx tsx bench/loadgen/prometheus-parse.ts
import { parsePrometheusSamples } from '../../src/benchmark/prometheus-text.js';
import { percentile } from '../../src/slo/percentile.js';
import { vllmMetricsPage } from './vllm-metrics-page.js';

const ITERATIONS = Number(process.env['ITERATIONS'] ?? 500);
const pages = Array.from({ length: 16 }, (_, i) => vllmMetricsPage(i + 1));
const bytes = Buffer.byteLength(pages[0] as string);
const lines = (pages[0] as string).split('\n').length;
for (let i = 0; i < 50; i++) parsePrometheusSamples(pages[i % pages.length] as string);
const timesMs: number[] = [];
let samples = 0;
for (let i = 0; i < ITERATIONS; i++) {
  const started = performance.now();
  samples = parsePrometheusSamples(pages[i % pages.length] as string).size;
  timesMs.push(performance.now() - started);
}
const q = (p: number): string => (percentile(timesMs, p) ?? Number.NaN).toFixed(3);
console.log(`page: ${(bytes / 1024).toFixed(1)} KiB, ${lines} lines, ${samples} plain samples kept`);
console.log(`parse time over ${ITERATIONS} runs: p50 ${q(50)} ms, p90 ${q(90)} ms, p99 ${q(99)} ms`);
console.log(`at one scrape per second: ${(Number(q(50)) / 10).toFixed(3)}% of one core (p50)`);
