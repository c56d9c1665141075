// How large a KV cache a started engine allocated, in tokens, as the engine itself reports it.
//
// vLLM exports an info gauge `vllm:cache_config_info` (value 1) whose labels carry the cache configuration it
// settled on, among them `block_size` and `num_gpu_blocks` (its metrics page, docs.vllm.ai "Production Metrics";
// its tests list the gauge among the expected V1 metrics); recent releases add `kv_cache_size_tokens`. It also logs
// "GPU KV cache size: N tokens". SGLang answers `max_total_num_tokens` in its server info (`/server_info`, older
// `/get_server_info`; the project's endpoint test reads that field), newer releases per scheduler under
// `internal_states`; it logs "KV Cache is allocated. #tokens: N".
import { prometheusSampleLabels } from '../benchmark/prometheus-text.js';
import { getText } from '../benchmark/server-json.js';
import type { KvCapacityProbe } from './runtime-adapter.js';
import type { EngineFlavor } from './runtime-name.js';

const positive = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
};

/** vLLM: the cache-config info gauge's token count, else its blocks times the block size. */
export function vllmKvCapacity(text: string): number | undefined {
  const labels = prometheusSampleLabels(text, 'vllm:cache_config_info');
  if (!labels) return undefined;
  const tokens = positive(labels.get('kv_cache_size_tokens'));
  if (tokens !== undefined) return Math.floor(tokens);
  const blocks = positive(labels.get('num_gpu_blocks'));
  const blockSize = positive(labels.get('block_size'));
  return blocks !== undefined && blockSize !== undefined ? Math.floor(blocks * blockSize) : undefined;
}

/** SGLang: `max_total_num_tokens` of the server info, at the top or in its first scheduler's state. */
export function sglangKvCapacity(text: string): number | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const top = positive(record.max_total_num_tokens);
  if (top !== undefined) return Math.floor(top);
  const states = record.internal_states;
  const first = Array.isArray(states) ? (states[0] as unknown) : undefined;
  if (typeof first !== 'object' || first === null) return undefined;
  const nested = positive((first as Record<string, unknown>).max_total_num_tokens);
  return nested === undefined ? undefined : Math.floor(nested);
}

/** Where each engine states its KV capacity (llama.cpp: none here). */
export const ENGINE_KV_CAPACITY_PROBES: Readonly<Partial<Record<EngineFlavor, KvCapacityProbe>>> = {
  vllm: { paths: ['/metrics'], read: vllmKvCapacity },
  sglang: { paths: ['/server_info', '/get_server_info'], read: sglangKvCapacity },
};

/** Asks a started server its KV capacity through each of the probe's paths in turn; undefined when none says. */
export async function detectKvCapacity(
  endpoint: string,
  probe: KvCapacityProbe,
  { signal, timeoutMs = 5_000 }: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<number | undefined> {
  for (const path of probe.paths) {
    const text = await getText(new URL(path, `${endpoint.replace(/\/+$/, '')}/`), {
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    const tokens = text === undefined ? undefined : probe.read(text);
    if (tokens !== undefined) return tokens;
  }
  return undefined;
}
