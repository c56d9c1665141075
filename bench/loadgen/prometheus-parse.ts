// What one scrape costs the tuner's process: parsing a vLLM-shaped /metrics page (bench/loadgen/vllm-metrics-page.ts)
// with parse-prometheus-text-format, as parsePrometheusSamples does on every sample; and reading KV usage from a
// llama-server-shaped /slots answer of SLOTS (default 128) slots (JSON.parse + kvUsageFromSlots), as each sample of a
// llama-server without a KV gauge does.
// Run: npx tsx bench/loadgen/prometheus-parse.ts
import { parsePrometheusSamples } from '../../src/benchmark/prometheus-text.js';
import { kvUsageFromSlots } from '../../src/benchmark/slots-kv-usage.js';
import { percentile } from '../../src/slo/percentile.js';
import { llamaSlotsPage } from './llama-slots-page.js';
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

const SLOTS = Number(process.env['SLOTS'] ?? 128);
const slotPages = Array.from({ length: 16 }, (_, i) => llamaSlotsPage(SLOTS, (i * 8) % (SLOTS + 1), 100 + i));
for (let i = 0; i < 50; i++) kvUsageFromSlots(JSON.parse(slotPages[i % slotPages.length] as string), 'split');
const slotTimesMs: number[] = [];
for (let i = 0; i < ITERATIONS; i++) {
  const started = performance.now();
  kvUsageFromSlots(JSON.parse(slotPages[i % slotPages.length] as string), 'split');
  slotTimesMs.push(performance.now() - started);
}
const qs = (p: number): string => (percentile(slotTimesMs, p) ?? Number.NaN).toFixed(3);
console.log(
  `/slots: ${SLOTS} slots, ${(Buffer.byteLength(slotPages[0] as string) / 1024).toFixed(1)} KiB; read time over ${ITERATIONS} runs: p50 ${qs(50)} ms, p90 ${qs(90)} ms, p99 ${qs(99)} ms; at one read per second ${(Number(qs(50)) / 10).toFixed(3)}% of one core (p50)`,
);
