// vLLM's JSON flags also take sub-keys (`compilation-config.mode: 3`); fold them into one JSON object per flag.

import { byCodeUnit, candidateSpellings } from './param-name.js';
import type { ParamProblem } from './param-problem.js';
import type { FlagRegistry, FlagSpec } from './registry.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function parseObject(value: unknown): Json | undefined {
  if (isObject(value)) return structuredClone(value);
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Folds `flag.sub.key: value` parameters into the JSON object of `flag` when the registry marks that flag
 * as taking dotted sub-keys; other parameters pass through. A sub-key that contradicts an explicit object
 * value is reported as a conflict.
 */
export function foldDottedKeys(
  params: Record<string, unknown>,
  registry: FlagRegistry,
): { params: Record<string, unknown>; problems: ParamProblem[] } {
  const out: Record<string, unknown> = {};
  const problems: ParamProblem[] = [];
  const dotted: [string, FlagSpec, string[], unknown][] = [];
  const flagOf = (name: string): FlagSpec | undefined =>
    candidateSpellings(name)
      .map((s) => registry.bySpelling.get(s))
      .find(Boolean);
  for (const [key, value] of Object.entries(params)) {
    const [base, ...path] = key.split('.');
    const flag = path.length > 0 && base ? flagOf(base) : undefined;
    if (flag?.type === 'json' && flag.json_dotted_keys && value !== undefined && value !== null) {
      dotted.push([key, flag, path, value]);
    } else out[key] = value;
  }
  for (const [key, flag, path, value] of dotted.sort((a, b) => byCodeUnit(a[0], b[0]))) {
    const base = flag.name;
    // The whole object may have been given too, under any spelling (`-cc`, `compilation_config`).
    const existingKey = Object.keys(out).find((k) => flagOf(k) === flag) ?? base;
    const target = out[existingKey] === undefined ? {} : parseObject(out[existingKey]);
    if (!target) {
      problems.push({
        code: 'conflict',
        severity: 'error',
        param: key,
        value,
        message: `${key} sets a sub-key of ${base}, whose value is not a JSON object`,
      });
      continue;
    }
    let node: Json = target;
    for (const part of path.slice(0, -1)) {
      const child = node[part];
      node[part] = isObject(child) ? child : {};
      node = node[part] as Json;
    }
    const leaf = path[path.length - 1] as string;
    if (node[leaf] !== undefined && JSON.stringify(node[leaf]) !== JSON.stringify(value)) {
      problems.push({
        code: 'conflict',
        severity: 'error',
        param: key,
        value,
        message: `${key} and ${base} disagree on ${path.join('.')}`,
      });
      continue;
    }
    node[leaf] = value;
    out[existingKey] = target;
  }
  return { params: out, problems };
}
