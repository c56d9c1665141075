// Typed reads of a Hugging Face config.json's fields; a missing or bad field is a ModelConfigError naming it.
import { ModelConfigError } from '../errors.js';

/** Reads fields of one parsed config.json; `file` names it in errors. */
export interface ConfigFields {
  readonly file: string;
  readonly json: Record<string, unknown>;
  /** A positive integer field; `fallback` when absent or null (required when no fallback is given). */
  int(field: string, fallback?: number): number;
  /** An integer field that may be absent or null (e.g. `q_lora_rank`); `undefined` then. */
  optionalInt(field: string): number | undefined;
  bool(field: string, fallback: boolean): boolean;
  /** A list of non-negative integers (e.g. `mlp_only_layers`); `[]` when absent. */
  intList(field: string): number[];
  str(field: string): string | undefined;
}

/** Wraps a parsed config.json (must be a JSON object) for typed reads. */
export function configFields(json: unknown, file: string): ConfigFields {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ModelConfigError(file, undefined, json, 'is not a JSON object');
  const record = json as Record<string, unknown>;
  const bad = (field: string, expected: string): never => {
    throw new ModelConfigError(file, field, record[field], `must be ${expected}`);
  };
  const optionalInt = (field: string): number | undefined => {
    const value = record[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) bad(field, 'an integer >= 0');
    return value as number;
  };
  return {
    file,
    json: record,
    int(field, fallback) {
      const value = optionalInt(field) ?? fallback;
      if (value === undefined) throw new ModelConfigError(file, field, undefined, 'is missing');
      if (value < 1) bad(field, 'an integer >= 1');
      return value;
    },
    optionalInt,
    bool(field, fallback) {
      const value = record[field];
      if (value === undefined || value === null) return fallback;
      if (typeof value !== 'boolean') bad(field, 'true or false');
      return value as boolean;
    },
    intList(field) {
      const value = record[field];
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && v >= 0))
        bad(field, 'a list of layer indices');
      return value as number[];
    },
    str(field) {
      const value = record[field];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') bad(field, 'a string');
      return value as string;
    },
  };
}
