// Registry-driven argv parsing that accepts and rejects flags the way the imitated engine does.

import { ENGINE_FLAVORS, type EngineFlavor } from '../parallelism/engine-flavor.js';
import { simFlagSpecs } from '../runtimes/adapters/sim-flags.js';
import { type FlagRegistry, type FlagSpec, loadRegistry } from '../runtimes/registry.js';

/** A parsed flag value. */
export type FlagValue = string | number | boolean | string[] | number[];

/** Parsed argv: values keyed by the flag's canonical name (e.g. `--tensor-parallel-size`). */
export interface EngineArgs {
  engine: EngineFlavor;
  values: Map<string, FlagValue>;
  positional: string[];
  /** Canonical names of the flags that came from the simulator's own table. */
  simFlags: Set<string>;
}

/** A command-line error in the engine's own words, with its exit code (argparse 2, llama.cpp 1). */
export interface ArgsError {
  exitCode: number;
  message: string;
}

const PROG: Record<EngineFlavor, string> = {
  vllm: 'vllm serve',
  sglang: 'launch_server.py',
  llamacpp: 'llama-server',
};

function argsError(engine: EngineFlavor, text: string): ArgsError {
  if (engine === 'llamacpp') return { exitCode: 1, message: `error: ${text}` };
  const usage =
    engine === 'vllm'
      ? 'usage: vllm serve [model_tag] [options]'
      : 'usage: launch_server.py [-h] --model-path MODEL_PATH [options]';
  return { exitCode: 2, message: `${usage}\n${PROG[engine]}: error: ${text}` };
}

const SUFFIX: Record<string, number> = { k: 1e3, K: 1024, m: 1e6, M: 1024 ** 2, g: 1e9, G: 1024 ** 3 };

function parseNumber(spec: FlagSpec, text: string, kind: 'int' | 'float'): number | undefined {
  const human = String((spec as { value_format?: string }).value_format ?? '').includes('human-readable');
  const match = /^(-?\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(text.trim());
  if (!match)
    return kind === 'float' && /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(text.trim()) ? Number(text) : undefined;
  const [, digits, suffix] = match;
  if (suffix && !human) return undefined;
  const value = Number(digits) * (suffix ? (SUFFIX[suffix] as number) : 1);
  if (kind === 'int' && !Number.isInteger(value)) return undefined;
  return value;
}

// Converts one textual value by the flag's type.
function convert(spec: FlagSpec, text: string): { value: string | number } | { error: string } {
  const base = spec.type.replace(/^list\[(.*)\]$/, '$1');
  if (base === 'int' || base === 'float') {
    const value = parseNumber(spec, text, base);
    return value === undefined ? { error: `invalid ${base} value: '${text}'` } : { value };
  }
  if (spec.type === 'choice' && spec.choices && !spec.choices.includes(text))
    return {
      error: `invalid choice: '${text}' (choose from ${spec.choices.map((c) => `'${c}'`).join(', ')})`,
    };
  return { value: text };
}

const isSwitch = (spec: FlagSpec): boolean =>
  spec.type === 'bool' &&
  ['store_true', 'BooleanOptionalAction', 'flag', 'pair', undefined].includes(spec.action);

/** Finds the engine named by `--engine` (default vLLM) without parsing anything else. */
export function engineOf(argv: readonly string[]): EngineFlavor | string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--engine') return argv[i + 1] ?? '';
    if (arg.startsWith('--engine=')) return arg.slice('--engine='.length);
  }
  return 'vllm';
}

function lookup(
  registry: FlagRegistry,
  own: Map<string, FlagSpec>,
  engine: EngineFlavor,
  raw: string,
): FlagSpec | undefined {
  const ownSpec = own.get(raw);
  if (ownSpec) return ownSpec;
  const direct = registry.bySpelling.get(raw);
  if (direct) return direct;
  // vLLM's FlexibleArgumentParser accepts underscores and dotted JSON sub-keys (--compilation-config.mode).
  if (engine === 'vllm') {
    const dashed = raw.startsWith('--') ? `--${raw.slice(2).replaceAll('_', '-')}` : raw;
    const base = dashed.split('.')[0] as string;
    return own.get(dashed) ?? registry.bySpelling.get(dashed) ?? registry.bySpelling.get(base);
  }
  return undefined;
}

/** Parses argv against the engine's flag registry plus the simulator's flags. */
export function parseEngineArgs(argv: readonly string[]): EngineArgs | ArgsError {
  const engineName = engineOf(argv);
  const engine = ENGINE_FLAVORS.find((name) => name === engineName);
  if (!engine)
    return argsError(
      'vllm',
      `argument --engine: invalid choice: '${engineName}' (choose from ${ENGINE_FLAVORS.map((n) => `'${n}'`).join(', ')})`,
    );
  const registry = loadRegistry(engine);
  const own = new Map(simFlagSpecs().map((spec) => [spec.name, spec]));
  const values = new Map<string, FlagValue>();
  const simFlags = new Set<string>();
  const positional: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positional.push(arg);
      continue;
    }
    if (engine === 'vllm' && /^-O\d$/.test(arg)) arg = `--optimization-level=${arg.slice(2)}`;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const spec = lookup(registry, own, engine, name);
    if (!spec) {
      unknown.push(arg);
      continue;
    }
    if (own.has(spec.name)) simFlags.add(spec.name);
    if (isSwitch(spec)) {
      if (inline !== undefined)
        return argsError(engine, `argument ${name}: ignored explicit argument '${inline}'`);
      values.set(spec.name, !(spec.negations ?? []).includes(name));
      continue;
    }
    const list = spec.type.startsWith('list[') || (spec as { nargs?: string }).nargs === '+';
    const takes = (next: string | undefined): next is string =>
      next !== undefined && (!next.startsWith('-') || /^-\d/.test(next));
    if (inline === undefined && spec.action === 'optional_value' && !takes(argv[i + 1])) inline = 'on';
    if (inline === undefined && !takes(argv[i + 1]))
      return argsError(
        engine,
        engine === 'llamacpp'
          ? `expected value for argument: ${name}`
          : `argument ${name}: expected ${list ? 'at least one argument' : 'one argument'}`,
      );
    const texts: string[] = inline !== undefined ? [inline] : [argv[++i] as string];
    while (list && inline === undefined && takes(argv[i + 1])) texts.push(argv[++i] as string);
    const converted: (string | number)[] = [];
    for (const text of texts) {
      const result = convert(spec, text);
      if ('error' in result)
        return argsError(
          engine,
          engine === 'llamacpp'
            ? `invalid value for ${name}: ${result.error}`
            : `argument ${name}: ${result.error}`,
        );
      converted.push(result.value);
    }
    values.set(spec.name, list ? (converted as string[] | number[]) : (converted[0] as FlagValue));
  }
  if (unknown.length > 0)
    return argsError(
      engine,
      engine === 'llamacpp'
        ? `invalid argument: ${unknown[0]}`
        : `unrecognized arguments: ${unknown.join(' ')}`,
    );
  const allowedPositional = engine === 'vllm' ? (positional[0] === 'serve' ? 2 : 1) : 0;
  if (positional.length > allowedPositional)
    return argsError(
      engine,
      engine === 'llamacpp'
        ? `invalid argument: ${positional[allowedPositional]}`
        : `unrecognized arguments: ${positional.slice(allowedPositional).join(' ')}`,
    );
  return { engine, values, positional: positional.filter((p) => p !== 'serve'), simFlags };
}

/** True when a parse result is an error. */
export function isArgsError(value: EngineArgs | ArgsError): value is ArgsError {
  return 'exitCode' in value;
}
