// Engine flag registries (names, aliases, types, defaults, boolean styles) loaded from JSON files.
import { readFileSync } from 'node:fs';
import type { EngineFlavor } from './runtime-name.js';

/** One engine flag as extracted from the engine's sources or help output. */
export interface FlagSpec {
  name: string;
  aliases: string[];
  type: string;
  choices?: string[];
  known_values?: string[];
  default?: unknown;
  help?: string;
  group?: string;
  action?: string;
  negations?: string[];
  status?: string[];
  help_verified?: boolean;
}

/** A flag registry of one engine version. */
export interface FlagRegistry {
  engine: string;
  command: string;
  source: unknown;
  boolean_style: string;
  flags: FlagSpec[];
  /** Every spelling (name, alias, negation) to its flag. */
  bySpelling: Map<string, FlagSpec>;
}

/** Builds the spelling index of a registry document (a user-supplied one for another engine version too). */
export function indexRegistry(document: Omit<FlagRegistry, 'bySpelling'>): FlagRegistry {
  const bySpelling = new Map<string, FlagSpec>();
  for (const flag of document.flags) {
    for (const spelling of [flag.name, ...(flag.aliases ?? []), ...(flag.negations ?? [])]) {
      if (!bySpelling.has(spelling)) bySpelling.set(spelling, flag);
    }
  }
  return { ...document, bySpelling };
}

const cache = new Map<EngineFlavor, FlagRegistry>();

/** The bundled registry of an engine (vLLM 0.22, a recent SGLang, a recent llama.cpp; see registries/SOURCES.md). */
export function loadRegistry(engine: EngineFlavor): FlagRegistry {
  let registry = cache.get(engine);
  if (!registry) {
    const url = new URL(`./registries/${engine}.json`, import.meta.url);
    registry = indexRegistry(JSON.parse(readFileSync(url, 'utf8')) as Omit<FlagRegistry, 'bySpelling'>);
    cache.set(engine, registry);
  }
  return registry;
}
