// One normalisation of every spelling of the parallel knobs (tp / tp-size / --tensor-parallel-size ...).
import { InvalidParameterError } from '../errors.js';

/** The canonical knobs of a parallel layout. */
export type ParallelKnob =
  | 'tp'
  | 'pp'
  | 'dp'
  | 'cp'
  | 'dcp'
  | 'ep'
  | 'expertParallel'
  | 'dpAttention'
  | 'nnodes'
  | 'gpuLayers'
  | 'devices'
  | 'splitMode'
  | 'tensorSplit';

/**
 * A parallel layout in one canonical shape, whatever spelling the parameters used. Sizes are kept as given
 * (validateParallelism reports values that are not positive integers).
 */
export interface ParallelConfig {
  /** Tensor-parallel size. @default 1 */
  tp: number;
  /** Pipeline-parallel size. @default 1 */
  pp: number;
  /** Data-parallel size. @default 1 */
  dp: number;
  /** Context-parallel size (vLLM prefill context parallel, SGLang attention context parallel). @default 1 */
  cp: number;
  /** Decode-context-parallel size. @default 1 */
  dcp: number;
  /** Explicit expert-parallel size (SGLang `--ep-size`); `undefined` when not given. */
  ep: number | undefined;
  /** Expert parallelism switched on (vLLM `--enable-expert-parallel`, or an `ep` size above 1). @default false */
  expertParallel: boolean;
  /** SGLang `--enable-dp-attention`. @default false */
  dpAttention: boolean;
  /** Number of nodes the layout spans. @default 1 */
  nnodes: number;
  /** llama.cpp `--n-gpu-layers`: a count, `auto` or `all`; `undefined` when not given. */
  gpuLayers: number | 'auto' | 'all' | undefined;
  /** Devices to offload to (llama.cpp `--device`, a `device` hint such as `cpu`); `undefined` when not given. */
  devices: string[] | undefined;
  /** llama.cpp `--split-mode`; `undefined` when not given. */
  splitMode: string | undefined;
  /** llama.cpp `--tensor-split` proportions; `undefined` when not given. */
  tensorSplit: number[] | undefined;
  /** The spelling each knob was given under, for messages (e.g. `tp: '--tensor-parallel-size'`). */
  spellings: Partial<Record<ParallelKnob, string>>;
}

type Kind = 'size' | 'flag' | 'ep' | 'layers' | 'list' | 'text' | 'ratios';

const SPELLINGS: Record<string, [ParallelKnob, Kind]> = {};
function spell(knob: ParallelKnob, kind: Kind, names: string[]): void {
  for (const name of names) SPELLINGS[name] = [knob, kind];
}
// Names after dropping leading dashes, lower-casing and turning `_` into `-`.
spell('tp', 'size', ['tp', 'tp-size', 'tensor-parallel-size', 'tensor-parallel']);
spell('pp', 'size', ['pp', 'pp-size', 'pipeline-parallel-size', 'pipeline-parallel']);
spell('dp', 'size', ['dp', 'dp-size', 'data-parallel-size', 'data-parallel']);
spell('cp', 'size', [
  'cp',
  'cp-size',
  'pcp',
  'pcp-size',
  'context-parallel-size',
  'prefill-context-parallel-size',
  'attn-cp-size',
  'attention-context-parallel-size',
]);
spell('dcp', 'size', ['dcp', 'dcp-size', 'decode-context-parallel-size']);
// vLLM's `-ep` is the boolean --enable-expert-parallel, SGLang's `--ep` is --ep-size: the value decides.
spell('ep', 'ep', ['ep', 'ep-size', 'expert-parallel-size']);
spell('expertParallel', 'flag', ['enable-expert-parallel', 'enable-ep']);
spell('dpAttention', 'flag', ['enable-dp-attention', 'dp-attention']);
// vLLM's `-n` alias of --nnodes is left out: a bare `n` means too many other things.
spell('nnodes', 'size', ['nnodes', 'num-nodes']);
spell('gpuLayers', 'layers', ['n-gpu-layers', 'ngl', 'gpu-layers']);
spell('devices', 'list', ['device', 'dev', 'devices']);
spell('splitMode', 'text', ['split-mode', 'sm']);
spell('tensorSplit', 'ratios', ['tensor-split', 'ts']);

/** The canonical form of a parameter key: no leading dashes, lower case, `-` for `_`. */
export function canonicalKey(key: string): string {
  return key.replace(/^-+/, '').toLowerCase().replaceAll('_', '-');
}

/**
 * The canonical knob a parameter key spells and whether the key is the negated form of a switch
 * (`--no-enable-expert-parallel` is `expertParallel`, negated); `undefined` when the key is not a parallel knob.
 */
export function parallelSpelling(key: string): { knob: ParallelKnob; negated: boolean } | undefined {
  const canonical = canonicalKey(key);
  const direct = SPELLINGS[canonical];
  if (direct) return { knob: direct[0], negated: false };
  if (canonical.startsWith('no-')) {
    const negated = SPELLINGS[canonical.slice(3)];
    if (negated && negated[1] === 'flag') return { knob: negated[0], negated: true };
  }
  return undefined;
}

/** The canonical knob a parameter key spells (negated switches included), or `undefined` for other keys. */
export function parallelKnobOf(key: string): ParallelKnob | undefined {
  return parallelSpelling(key)?.knob;
}

type Value = number | boolean | string | string[] | number[];

function bad(key: string, value: unknown, expected: string): InvalidParameterError {
  return new InvalidParameterError(`Parameter ${key} must be ${expected}, got ${JSON.stringify(value)}`, {
    [key]: value,
  });
}

function toNumber(key: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  throw bad(key, value, 'a number');
}

function toBoolean(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1 || value === '') return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  throw bad(key, value, 'a boolean');
}

function toList(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function parseValue(key: string, kind: Kind, value: unknown): Value {
  switch (kind) {
    case 'size':
      return toNumber(key, value);
    case 'flag':
      return toBoolean(key, value);
    case 'ep':
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? toBoolean(key, value)
        : toNumber(key, value);
    case 'layers':
      if (value === 'auto' || value === 'all') return value;
      return toNumber(key, value);
    case 'list':
      return toList(value);
    case 'text':
      return String(value);
    case 'ratios':
      return toList(value).map((item) => toNumber(key, item));
  }
}

/**
 * Reads the parallel knobs of a parameter set under any spelling (`tp`, `tp-size`, `tp_size`, `--tp`,
 * `-tp`, `tensor-parallel-size`, ...; SGLang's and vLLM's names; llama.cpp's `-ngl`, `--device`,
 * `--split-mode`, `--tensor-split`) into one canonical shape. Keys that are not parallel knobs are ignored;
 * `null` / `undefined` values count as not given. Two spellings of one knob with different values, or a
 * value of the wrong type, throw InvalidParameterError naming the keys and values.
 */
export function normalizeParallelism(params: Readonly<Record<string, unknown>>): ParallelConfig {
  const seen = new Map<ParallelKnob, { key: string; value: Value }>();
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined || raw === null) continue;
    const spelling = parallelSpelling(key);
    if (!spelling) continue;
    const { knob, negated } = spelling;
    const canonical = canonicalKey(key);
    const entry = SPELLINGS[negated ? canonical.slice(3) : canonical] as [ParallelKnob, Kind];
    let value = parseValue(key, entry[1], raw);
    if (negated) value = !value;
    let target = knob;
    // A boolean `ep` is vLLM's -ep switch.
    if (knob === 'ep' && typeof value === 'boolean') target = 'expertParallel';
    const previous = seen.get(target);
    if (previous && JSON.stringify(previous.value) !== JSON.stringify(value)) {
      throw new InvalidParameterError(
        `Conflicting values for ${target}: ${previous.key}=${JSON.stringify(previous.value)} and ${key}=${JSON.stringify(value)}`,
        { [previous.key]: params[previous.key], [key]: raw },
      );
    }
    seen.set(target, { key, value });
  }
  const get = <T extends Value>(knob: ParallelKnob): T | undefined => seen.get(knob)?.value as T | undefined;
  const ep = get<number>('ep');
  const spellings: Partial<Record<ParallelKnob, string>> = {};
  for (const [knob, { key }] of seen) spellings[knob] = key;
  return {
    tp: get<number>('tp') ?? 1,
    pp: get<number>('pp') ?? 1,
    dp: get<number>('dp') ?? 1,
    cp: get<number>('cp') ?? 1,
    dcp: get<number>('dcp') ?? 1,
    ep,
    expertParallel: get<boolean>('expertParallel') ?? (ep !== undefined && ep > 1),
    dpAttention: get<boolean>('dpAttention') ?? false,
    nnodes: get<number>('nnodes') ?? 1,
    gpuLayers: get<number | 'auto' | 'all'>('gpuLayers'),
    devices: get<string[]>('devices'),
    splitMode: get<string>('splitMode'),
    tensorSplit: get<number[]>('tensorSplit'),
    spellings,
  };
}
