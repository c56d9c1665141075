// The twelve simulated-engine tuning problems of the search benchmark.
import type { ParamInput } from '../../src/search/param-spec.js';
import type { Problem } from './problem.js';
import { type SimProblemSpec, simProblem } from './sim-problem.js';

const seqs = (d: number, values = [16, 32, 64, 128, 256, 512, 1024]): ParamInput => ({ values, default: d });
const tokens = (d: number, values = [512, 1024, 2048, 4096, 8192, 16384]): ParamInput => ({
  values,
  default: d,
});
const gmu = (d = 0.9): ParamInput => ({ low: 0.7, high: 0.95, step: 0.05, default: d });
const bool = (d: boolean): ParamInput => ({ type: 'bool', default: d });
const tp = (d: number, values = [1, 2, 4, 8]): ParamInput => ({ values, default: d });

/** Twelve problems: 3 to 8 mixed parameters, SLO-infeasible regions and start-up failures (OOM, bad tp). */
export function simProblems(): Problem[] {
  const chat = { promptTokens: 1000, outputTokens: 200 };
  const specs: SimProblemSpec[] = [
    {
      name: 'sim:8b-h100-chat-tput',
      base: { model: 'llama-3.1-8b', gpu: 'h100', numGpus: 1 },
      workload: { ...chat, concurrency: 96 },
      objective: 'throughput',
      slo: { ttftP99Ms: 400, tpotP99Ms: 25 },
      feasibleShare: 0.05,
      params: {
        'max-num-seqs': seqs(1024),
        'max-num-batched-tokens': tokens(8192),
        'gpu-memory-utilization': gmu(),
        'enable-chunked-prefill': bool(true),
      },
    },
    {
      name: 'sim:8b-l40s-per-gpu',
      base: { model: 'llama-3.1-8b', gpu: 'l40s', numGpus: 2 },
      workload: { promptTokens: 2000, outputTokens: 300, concurrency: 48 },
      objective: 'throughput-per-gpu',
      slo: { ttftP99Ms: 1500, tpotP99Ms: 60 },
      feasibleShare: 0.15,
      params: {
        'tensor-parallel-size': tp(1, [1, 2]),
        'max-num-seqs': seqs(256),
        'max-num-batched-tokens': tokens(2048),
        'gpu-memory-utilization': gmu(),
        'kv-cache-dtype': { values: ['auto', 'fp8'], default: 'auto' },
      },
    },
    {
      name: 'sim:70b-h100x8-per-gpu',
      base: { model: 'llama-3.1-70b', gpu: 'h100', numGpus: 8 },
      workload: { ...chat, concurrency: 128 },
      objective: 'throughput-per-gpu',
      slo: { ttftP99Ms: 2000, tpotP99Ms: 50 },
      feasibleShare: 0.12,
      params: {
        'tensor-parallel-size': tp(4),
        'max-num-seqs': seqs(1024),
        'max-num-batched-tokens': tokens(8192),
        'gpu-memory-utilization': gmu(),
        'enforce-eager': bool(false),
      },
    },
    {
      name: 'sim:qwen7b-a100-p99e2e',
      base: { model: 'qwen2.5-7b', gpu: 'a100-80gb', numGpus: 4 },
      workload: { ...chat, requestRatePerS: 20 },
      objective: 'p99-e2e',
      slo: {},
      params: {
        'tensor-parallel-size': tp(1),
        'max-num-seqs': seqs(1024),
        'max-num-batched-tokens': tokens(8192),
        'enable-chunked-prefill': bool(true),
        'enforce-eager': bool(false),
      },
    },
    {
      name: 'sim:qwen14b-a100-40-sglang',
      base: { model: 'qwen2.5-14b', gpu: 'a100-40gb', numGpus: 4, engine: 'sglang' },
      workload: { promptTokens: 1500, outputTokens: 250, concurrency: 64 },
      objective: 'throughput',
      slo: { ttftP99Ms: 3000, tpotP99Ms: 80 },
      feasibleShare: 0.3,
      params: {
        'tensor-parallel-size': tp(2),
        'max-num-seqs': seqs(1024),
        'max-num-batched-tokens': tokens(4096),
        'gpu-memory-utilization': gmu(0.85),
        'kv-cache-dtype': { values: ['auto', 'fp8'], default: 'auto' },
        'enable-chunked-prefill': bool(true),
      },
    },
    {
      name: 'sim:qwen32b-h100x4-capacity',
      base: { model: 'qwen2.5-32b', gpu: 'h100', numGpus: 4 },
      workload: chat,
      objective: 'capacity',
      slo: { ttftP99Ms: 800, tpotP99Ms: 40 },
      params: {
        'tensor-parallel-size': tp(2, [1, 2, 4]),
        'max-num-seqs': seqs(256, [32, 64, 128, 256, 512]),
        'max-num-batched-tokens': tokens(8192, [1024, 2048, 4096, 8192]),
        'gpu-memory-utilization': gmu(),
      },
    },
    {
      name: 'sim:1b-4090-tight-slo',
      base: { model: 'llama-3.2-1b', gpu: 'rtx-4090', numGpus: 1 },
      workload: { promptTokens: 800, outputTokens: 150, concurrency: 160 },
      objective: 'throughput',
      slo: { ttftP99Ms: 600, tpotP99Ms: 25 },
      feasibleShare: 0.04,
      params: {
        'max-num-seqs': seqs(256),
        'max-num-batched-tokens': tokens(2048),
        'gpu-memory-utilization': gmu(),
        'block-size': { values: [16, 32], default: 16 },
        'enable-chunked-prefill': bool(true),
        'enforce-eager': bool(false),
      },
    },
    {
      name: 'sim:72b-h200x8-capacity',
      base: { model: 'qwen2.5-72b', gpu: 'h200', numGpus: 8 },
      workload: chat,
      objective: 'capacity',
      slo: { ttftP99Ms: 1500, tpotP99Ms: 60 },
      params: {
        'tensor-parallel-size': tp(4, [1, 2, 4, 8]),
        'max-num-seqs': seqs(256, [32, 64, 128, 256, 512]),
        'max-num-batched-tokens': tokens(8192, [2048, 4096, 8192]),
        'kv-cache-dtype': { values: ['auto', 'fp8'], default: 'auto' },
      },
    },
    {
      name: 'sim:8b-a100-40-long-prompt-ttft',
      base: { model: 'llama-3.1-8b', gpu: 'a100-40gb', numGpus: 1, maxModelLen: 16384 },
      workload: { promptTokens: 4000, outputTokens: 120, requestRatePerS: 0.6 },
      objective: 'mean-ttft',
      slo: { tpotP99Ms: 45 },
      feasibleShare: 0.5,
      params: {
        'max-num-seqs': seqs(256),
        'max-num-batched-tokens': tokens(2048),
        'enable-chunked-prefill': bool(true),
        'gpu-memory-utilization': gmu(),
        'enable-prefix-caching': bool(true),
      },
      constraints: [{ left: 'max-num-batched-tokens', op: '>=', right: 'max-num-seqs' }],
    },
    {
      name: 'sim:8b-h100-sglang-tput',
      base: { model: 'llama-3.1-8b', gpu: 'h100', numGpus: 1, engine: 'sglang' },
      workload: { promptTokens: 600, outputTokens: 400, concurrency: 256 },
      objective: 'throughput',
      slo: { ttftP99Ms: 2000, tpotP99Ms: 40 },
      feasibleShare: 0.4,
      params: {
        'max-num-seqs': seqs(1024),
        'max-num-batched-tokens': tokens(8192),
        'gpu-memory-utilization': gmu(0.85),
        'enable-chunked-prefill': bool(true),
        'kv-cache-dtype': { values: ['auto', 'fp8'], default: 'auto' },
      },
    },
    {
      name: 'sim:qwen7b-l40s-prefix-capacity',
      base: { model: 'qwen2.5-7b', gpu: 'l40s', numGpus: 4 },
      workload: { promptTokens: 2000, outputTokens: 150, sharedPrefixTokens: 1500 },
      objective: 'capacity',
      slo: { ttftP99Ms: 600, tpotP99Ms: 50 },
      params: {
        'tensor-parallel-size': tp(1, [1, 2, 4]),
        'max-num-seqs': seqs(256, [32, 64, 128, 256, 512]),
        'max-num-batched-tokens': tokens(2048, [1024, 2048, 4096, 8192]),
        'enable-prefix-caching': bool(true),
      },
    },
    {
      name: 'sim:70b-a100x8-tp-pp-e2e',
      base: { model: 'llama-3.1-70b', gpu: 'a100-80gb', numGpus: 8 },
      workload: { ...chat, concurrency: 64 },
      objective: 'p99-e2e',
      slo: { ttftP99Ms: 3000 },
      feasibleShare: 0.15,
      params: {
        'tensor-parallel-size': tp(4),
        'pipeline-parallel-size': { values: [1, 2], default: 1 },
        'max-num-seqs': seqs(256),
        'max-num-batched-tokens': tokens(8192),
        'gpu-memory-utilization': gmu(),
        'kv-cache-dtype': { values: ['auto', 'fp8'], default: 'auto' },
        'enable-chunked-prefill': bool(true),
        'enforce-eager': bool(false),
      },
    },
  ];
  return specs.map(simProblem);
}
