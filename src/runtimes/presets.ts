// Quantisation and parallel presets expanded into each engine's real flags.
import { InvalidOptionError } from '../errors.js';
import type { EngineFlavor } from './runtime-name.js';

/** Flags a preset sets on one engine, or the reason the engine cannot honour it. */
export type PresetExpansion = { flags: Record<string, unknown> } | { refused: string };

const GGUF_WEIGHTS =
  'llama.cpp takes its weight quantisation from the GGUF file; choose a quantised GGUF model instead';

/** Quantisation presets: weights and/or KV cache, in each engine's spelling. */
export const QUANTIZATION_PRESETS: Readonly<Record<string, Record<EngineFlavor, PresetExpansion>>> = {
  none: { vllm: { flags: {} }, sglang: { flags: {} }, llamacpp: { flags: {} } },
  // fp8 weights and an 8-bit KV cache; llama.cpp can only do the KV half (q8_0 is its 8-bit cache type).
  fp8: {
    vllm: { flags: { '--quantization': 'fp8', '--kv-cache-dtype': 'fp8' } },
    sglang: { flags: { '--quantization': 'fp8', '--kv-cache-dtype': 'fp8_e4m3' } },
    llamacpp: { flags: { '--cache-type-k': 'q8_0', '--cache-type-v': 'q8_0' } },
  },
  'fp8-weights': {
    vllm: { flags: { '--quantization': 'fp8' } },
    sglang: { flags: { '--quantization': 'fp8' } },
    llamacpp: { refused: GGUF_WEIGHTS },
  },
  'fp8-kv': {
    vllm: { flags: { '--kv-cache-dtype': 'fp8' } },
    sglang: { flags: { '--kv-cache-dtype': 'fp8_e4m3' } },
    llamacpp: { flags: { '--cache-type-k': 'q8_0', '--cache-type-v': 'q8_0' } },
  },
  'fp8-kv-e5m2': {
    vllm: { flags: { '--kv-cache-dtype': 'fp8_e5m2' } },
    sglang: { flags: { '--kv-cache-dtype': 'fp8_e5m2' } },
    llamacpp: { refused: 'llama.cpp has no fp8 KV cache type; use fp8-kv (q8_0) or q4-kv' },
  },
  'q4-kv': {
    vllm: { refused: 'vLLM has no 4-bit integer KV cache; use fp8-kv' },
    sglang: { refused: 'SGLang has no 4-bit integer KV cache; use fp8-kv' },
    llamacpp: { flags: { '--cache-type-k': 'q4_0', '--cache-type-v': 'q4_0' } },
  },
};

/** Degrees of a parallel preset such as `tp2`, `tp2pp2`, `dp2`, `tp4ep`. */
export interface ParallelDegrees {
  tp: number;
  pp: number;
  dp: number;
  /** Expert parallelism requested; `ep` alone means over every TP x DP rank. */
  ep: number | undefined;
}

/** Parses a parallel preset name; undefined when it is not one. */
export function parseParallelPreset(name: string): ParallelDegrees | undefined {
  const match = /^(?:tp(\d+))?(?:pp(\d+))?(?:dp(\d+))?(?:(ep)(\d+)?)?$/.exec(name.trim().toLowerCase());
  if (!match || name.trim() === '') return undefined;
  const degree = (text: string | undefined): number => (text === undefined ? 1 : Number(text));
  const degrees: ParallelDegrees = {
    tp: degree(match[1]),
    pp: degree(match[2]),
    dp: degree(match[3]),
    ep: match[4] ? degree(match[5] ?? String(degree(match[1]) * degree(match[3]))) : undefined,
  };
  if ([degrees.tp, degrees.pp, degrees.dp, degrees.ep ?? 1].some((n) => !Number.isInteger(n) || n < 1)) {
    return undefined;
  }
  return degrees;
}

const ones = (n: number): string => Array.from({ length: n }, () => '1').join(',');

/** Expands parallel degrees into an engine's flags, or refuses with the reason. */
export function expandParallel(degrees: ParallelDegrees, engine: EngineFlavor): PresetExpansion {
  const { tp, pp, dp, ep } = degrees;
  if (engine === 'vllm') {
    if (ep !== undefined && ep !== tp * dp) {
      return { refused: `vLLM's expert parallel size is always tp x dp (${tp * dp}); got ep${ep}` };
    }
    return {
      flags: {
        '--tensor-parallel-size': tp,
        ...(pp > 1 ? { '--pipeline-parallel-size': pp } : {}),
        ...(dp > 1 ? { '--data-parallel-size': dp } : {}),
        ...(ep !== undefined ? { '--enable-expert-parallel': true } : {}),
      },
    };
  }
  if (engine === 'sglang') {
    return {
      flags: {
        '--tp-size': tp,
        ...(pp > 1 ? { '--pp-size': pp } : {}),
        ...(dp > 1 ? { '--dp-size': dp } : {}),
        ...(ep !== undefined ? { '--ep-size': ep } : {}),
      },
    };
  }
  // llama.cpp splits one model over the visible GPUs: by rows (tensor-parallel-like) or by layers.
  if (dp > 1 || ep !== undefined) {
    return { refused: 'llama-server has no data or expert parallelism; run one server per GPU set instead' };
  }
  if (tp > 1 && pp > 1) return { refused: 'llama.cpp splits a model by rows or by layers, not both' };
  if (tp > 1) return { flags: { '--split-mode': 'row', '--tensor-split': ones(tp) } };
  if (pp > 1) return { flags: { '--split-mode': 'layer', '--tensor-split': ones(pp) } };
  return { flags: {} };
}

/** Expands a quantisation preset for an engine; undefined when the preset name is unknown. */
export function expandQuantization(name: string, engine: EngineFlavor): PresetExpansion | undefined {
  return QUANTIZATION_PRESETS[name.trim().toLowerCase()]?.[engine];
}

/** Every problem of a list of preset names at once (unknown names, two presets of one kind), each naming its index. */
export function presetProblems(names: readonly string[]): InvalidOptionError[] {
  const problems: InvalidOptionError[] = [];
  const accepted: string[] = [];
  for (const [i, name] of names.entries()) {
    try {
      presetParams([...accepted, name]);
      accepted.push(name);
    } catch (error) {
      if (!(error instanceof InvalidOptionError)) throw error;
      // presetParams names the index within the list it was given; this one is `i`.
      problems.push(new InvalidOptionError(`presets[${i}]`, name, error.expected));
    }
  }
  return problems;
}

/**
 * Parameters selecting named presets (`['fp8', 'tp2']` -> `{ 'quant-preset': 'fp8', 'parallel-preset': 'tp2' }`),
 * to merge into a configuration before validation, worldSize and launch. Throws InvalidOptionError for an
 * unknown name or two presets of the same kind.
 */
export function presetParams(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of names.entries()) {
    const name = raw.trim().toLowerCase();
    const kind =
      name in QUANTIZATION_PRESETS
        ? 'quant-preset'
        : parseParallelPreset(name)
          ? 'parallel-preset'
          : undefined;
    if (!kind) {
      throw new InvalidOptionError(
        `presets[${i}]`,
        raw,
        `a quantisation preset (${Object.keys(QUANTIZATION_PRESETS).join(', ')}) or a parallel preset (tp2, tp2pp2, dp2, tp4ep)`,
      );
    }
    if (out[kind] !== undefined) {
      throw new InvalidOptionError(`presets[${i}]`, raw, `at most one ${kind} (already ${out[kind]})`);
    }
    out[kind] = name;
  }
  return out;
}
