// Engine flag registries (names, aliases, types, defaults, boolean styles) loaded from JSON files.
import { readFileSync } from 'node:fs';
import { InvalidOptionError } from '../errors.js';
import type { EngineFlavor } from './runtime-name.js';

/** One engine flag as extracted from the engine's sources or help output. */
export interface FlagSpec {
  name: string;
  aliases: string[];
  /** `int`, `float`, `str`, `bool`, `choice`, `json`, `list[int]`, `list[str]`, `list[float]`. */
  type: string;
  choices?: string[];
  /** The choices are examples, other values are accepted too. */
  choices_open?: boolean;
  /** The choices come from plugins at run time. */
  choices_dynamic?: boolean;
  known_values?: string[];
  /** Words accepted besides the flag's type, e.g. `auto`/`all` for llama.cpp's `-ngl`. */
  special_values?: string[];
  /** Numeric range `LOW..HIGH`, inclusive; an empty side is open, `>LOW` / `<HIGH` exclude that bound (`>0..1`). */
  range?: string;
  /** Allowed items of a comma-separated list value. */
  list_choices?: string[];
  value_format?: string;
  default?: unknown;
  help?: string;
  group?: string;
  /** `BooleanOptionalAction`, `store_true`, `pair`, `flag`, `optional_value`, `append`, `positional`. */
  action?: string;
  nargs?: string;
  /** JSON flag that also takes dotted sub-keys (`--compilation-config.mode 3`). */
  json_dotted_keys?: boolean;
  negations?: string[];
  /** `legacy`, `removed`, `deprecated`, `unverified`, `legacy_manual`, `manual`, `required`. */
  status?: string[];
  help_verified?: boolean;
  env?: string;
}

/** The JSON document of a registry as stored on disk (bundled or user-supplied). */
export interface FlagRegistryDocument {
  engine: string;
  command: string;
  source: unknown;
  boolean_style: string;
  /** Engine version the flags belong to; taken from `source` when absent. */
  engine_version?: string;
  flags: FlagSpec[];
}

/** A flag registry of one engine version. */
export interface FlagRegistry extends FlagRegistryDocument {
  /** Engine version (or source revision) the flags belong to, e.g. `vLLM 0.22.0`. */
  engineVersion: string;
  /** Where the flags come from, one line (repository, path, commit or help dump). */
  sourceLine: string;
  /** Every spelling (name, alias, negation) to its flag. */
  bySpelling: Map<string, FlagSpec>;
}

const ENGINE_LABELS: Record<string, string> = {
  vllm: 'vLLM',
  sglang: 'SGLang',
  llamacpp: 'llama.cpp',
  'llama.cpp': 'llama.cpp',
};

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// The registry documents record provenance in slightly different shapes; read what is there.
function describeSource(document: FlagRegistryDocument): { version: string; line: string } {
  const label = ENGINE_LABELS[document.engine] ?? document.engine;
  const primary = record(record(document.source)?.['primary']) ?? record(document.source) ?? {};
  const repo = text(primary['repo']);
  const path = text(primary['path']);
  const commit = text(primary['commit']);
  const declared = text(document.engine_version) ?? text(primary['vllm_version']) ?? text(primary['version']);
  const version = declared
    ? `${label} ${declared}`
    : commit
      ? `${label} @ ${commit.slice(0, 12)}`
      : `${label} (unknown version)`;
  const line = repo
    ? `${repo}${path ? ` ${path}` : ''}${commit ? ` @ ${commit.slice(0, 12)}` : ''}`
    : (text(primary['description']) ?? text(primary['kind']) ?? 'user-supplied registry');
  return { version, line };
}

/** Builds the spelling index of a registry document (a user-supplied one for another engine version too). */
export function indexRegistry(document: FlagRegistryDocument): FlagRegistry {
  const bySpelling = new Map<string, FlagSpec>();
  for (const flag of document.flags) {
    for (const spelling of [flag.name, ...(flag.aliases ?? []), ...(flag.negations ?? [])]) {
      if (!bySpelling.has(spelling)) bySpelling.set(spelling, flag);
    }
  }
  const { version, line } = describeSource(document);
  return { ...document, engineVersion: version, sourceLine: line, bySpelling };
}

/** Checks the shape of a registry document and indexes it; `origin` names it in error messages. */
export function parseRegistry(value: unknown, origin = 'registry'): FlagRegistry {
  const document = record(value);
  if (!document) throw new InvalidOptionError(origin, value, 'a registry object with engine and flags');
  if (typeof document['engine'] !== 'string') {
    throw new InvalidOptionError(`${origin}.engine`, document['engine'], 'an engine name string');
  }
  const flags = document['flags'];
  if (!Array.isArray(flags) || flags.length === 0) {
    throw new InvalidOptionError(`${origin}.flags`, flags, 'a non-empty array of flags');
  }
  const checked: FlagSpec[] = flags.map((raw, i) => {
    const flag = record(raw);
    if (!flag || typeof flag['name'] !== 'string' || flag['name'].length === 0) {
      throw new InvalidOptionError(`${origin}.flags[${i}].name`, flag?.['name'], 'a flag name string');
    }
    if (typeof flag['type'] !== 'string') {
      throw new InvalidOptionError(`${origin}.flags[${i}].type`, flag['type'], 'a type string');
    }
    const aliases = flag['aliases'] ?? [];
    if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string')) {
      throw new InvalidOptionError(`${origin}.flags[${i}].aliases`, aliases, 'an array of strings');
    }
    return { ...(flag as unknown as FlagSpec), aliases: aliases as string[] };
  });
  return indexRegistry({
    engine: document['engine'],
    command: typeof document['command'] === 'string' ? document['command'] : '',
    source: document['source'] ?? null,
    boolean_style: typeof document['boolean_style'] === 'string' ? document['boolean_style'] : '',
    ...(typeof document['engine_version'] === 'string' ? { engine_version: document['engine_version'] } : {}),
    flags: checked,
  });
}

/** Reads a user-supplied registry JSON file (same format as the bundled ones) for another engine version. */
export function loadRegistryFile(path: string): FlagRegistry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidOptionError('registry', path, 'a readable JSON flag registry file', { cause: error });
  }
  return parseRegistry(parsed, path);
}

const cache = new Map<EngineFlavor, FlagRegistry>();

/** The bundled registry of an engine (vLLM 0.22, a recent SGLang, a recent llama.cpp; see registries/SOURCES.md). */
export function loadRegistry(engine: EngineFlavor): FlagRegistry {
  let registry = cache.get(engine);
  if (!registry) {
    const url = new URL(`./registries/${engine}.json`, import.meta.url);
    registry = parseRegistry(JSON.parse(readFileSync(url, 'utf8')), `bundled ${engine} registry`);
    cache.set(engine, registry);
  }
  return registry;
}
