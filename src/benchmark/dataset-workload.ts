// Dataset workloads: prompts from a JSONL file or a ShareGPT-shaped conversations file.
import { readFile } from 'node:fs/promises';
import { InvalidOptionError } from '../errors.js';
import type { Workload, WorkloadRequest } from './workload.js';

/** Options shared by the dataset workloads. */
export interface DatasetWorkloadOptions {
  /** Output length when an entry gives none. @default 128 */
  defaultOutputTokens?: number;
  /** Cap on every entry's output length. @default unbounded */
  maxOutputTokens?: number;
}

/** Rough tokens of a text without a tokenizer (about 4 characters per token); only for output lengths. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}

function cycle(name: string, entries: readonly WorkloadRequest[]): Workload {
  if (entries.length === 0)
    throw new InvalidOptionError('workload.dataset', name, 'at least one usable entry');
  return { name, request: (index) => entries[index % entries.length] as WorkloadRequest };
}

function outputLength(value: unknown, options: DatasetWorkloadOptions): number {
  const base =
    typeof value === 'number' && value >= 1 ? Math.round(value) : (options.defaultOutputTokens ?? 128);
  return Math.min(base, options.maxOutputTokens ?? Number.POSITIVE_INFINITY);
}

/**
 * Parses JSONL text: one object per line with `prompt` and optionally an output length (`output_tokens`,
 * `max_tokens` or `output_len`) and a prompt length (`prompt_tokens`). Requests cycle through the lines.
 */
export function jsonlWorkload(text: string, options: DatasetWorkloadOptions = {}, name = 'jsonl'): Workload {
  const entries: WorkloadRequest[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (cause) {
      throw new InvalidOptionError(`workload.dataset line ${i + 1}`, line, 'a JSON object', { cause });
    }
    if (typeof row['prompt'] !== 'string') {
      throw new InvalidOptionError(`workload.dataset line ${i + 1}.prompt`, row['prompt'], 'a string');
    }
    const promptTokens = row['prompt_tokens'];
    entries.push({
      prompt: row['prompt'],
      promptTokens: typeof promptTokens === 'number' ? promptTokens : undefined,
      maxTokens: outputLength(row['output_tokens'] ?? row['max_tokens'] ?? row['output_len'], options),
    });
  });
  return cycle(name, entries);
}

interface ShareGptTurn {
  from?: unknown;
  value?: unknown;
}

/**
 * A ShareGPT-shaped dataset (a JSON array of `{ conversations: [{ from, value }, ...] }`): the first human turn
 * is the prompt and the reply that follows sets the output length (estimateTokens). Entries without a human
 * turn followed by a reply are skipped, as vLLM's benchmark does.
 */
export function shareGptWorkload(
  data: unknown,
  options: DatasetWorkloadOptions = {},
  name = 'sharegpt',
): Workload {
  if (!Array.isArray(data))
    throw new InvalidOptionError('workload.dataset', data, 'a JSON array of conversations');
  const entries: WorkloadRequest[] = [];
  for (const item of data) {
    const turns = (item as { conversations?: unknown })?.conversations;
    if (!Array.isArray(turns) || turns.length < 2) continue;
    const [ask, reply] = turns as ShareGptTurn[];
    if (ask?.from !== 'human' || typeof ask.value !== 'string' || typeof reply?.value !== 'string') continue;
    entries.push({ prompt: ask.value, maxTokens: outputLength(estimateTokens(reply.value), options) });
  }
  return cycle(name, entries);
}

/** Reads a dataset file: `.jsonl` as JSONL, anything else as a ShareGPT JSON array. */
export async function loadDatasetWorkload(
  path: string,
  options: DatasetWorkloadOptions = {},
  { signal }: { signal?: AbortSignal } = {},
): Promise<Workload> {
  const text = await readFile(path, { encoding: 'utf8', signal });
  return path.endsWith('.jsonl')
    ? jsonlWorkload(text, options, `jsonl(${path})`)
    : shareGptWorkload(JSON.parse(text), options, `sharegpt(${path})`);
}
