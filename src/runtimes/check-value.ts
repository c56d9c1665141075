// Type, choice and range checks of one flag value against its registry entry; yields argv-ready text.
import { describeValue } from '../errors.js';
import type { ParamProblemCode } from './param-problem.js';
import type { FlagSpec } from './registry.js';

/** A checked value: a boolean switch, one argv word, or several words (lists). */
export type CheckedValue =
  | { kind: 'bool'; on: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] };

/** Why a value was refused, or a warning about an accepted one. */
export interface ValueIssue {
  code: ParamProblemCode;
  severity: 'error' | 'warning';
  message: string;
  /** What the flag accepts, in words (`an integer`, `a value >= 1`), when a value was refused. */
  expected?: string;
}

/** Result of checking one value. */
export type ValueCheck =
  | { ok: true; value: CheckedValue; warning?: ValueIssue }
  | { ok: false; issue: ValueIssue };

const INT = /^[+-]?\d+$/;
const HUMAN_INT = /^\d+(?:\.\d+)?[kKmMgG]$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NULL_WORDS = new Set(['none', 'null', 'undefined']);

/** A numeric range of a flag: bounds absent when open, `exclusive` when the bound itself is refused. */
export interface FlagRange {
  low?: { value: number; exclusive: boolean };
  high?: { value: number; exclusive: boolean };
}

/**
 * Reads a registry range: `LOW..HIGH` (inclusive), either side may be empty (open), and `>` before LOW or `<`
 * before HIGH excludes that bound (`>0..1`: above 0, at most 1). Undefined for text that is not a range.
 */
export function parseRange(text: string): FlagRange | undefined {
  const sides = text.split('..');
  if (sides.length !== 2) return undefined;
  const bound = (side: string, marker: string) => {
    const trimmed = side.trim();
    const exclusive = trimmed.startsWith(marker);
    const number = (exclusive ? trimmed.slice(1) : trimmed).trim();
    return number === '' ? undefined : { value: Number(number), exclusive };
  };
  const low = bound(sides[0] as string, '>');
  const high = bound(sides[1] as string, '<');
  if ((low && !Number.isFinite(low.value)) || (high && !Number.isFinite(high.value))) return undefined;
  return { ...(low ? { low } : {}), ...(high ? { high } : {}) };
}

/** True when `n` lies inside the range. */
export function inRange(range: FlagRange, n: number): boolean {
  const { low, high } = range;
  if (low && (low.exclusive ? n <= low.value : n < low.value)) return false;
  if (high && (high.exclusive ? n >= high.value : n > high.value)) return false;
  return true;
}

/** The range in words: `a value > 0 and <= 1`, `a value >= 1`. */
export function describeRange(range: FlagRange): string {
  const parts = [
    ...(range.low ? [`${range.low.exclusive ? '>' : '>='} ${range.low.value}`] : []),
    ...(range.high ? [`${range.high.exclusive ? '<' : '<='} ${range.high.value}`] : []),
  ];
  return `a value ${parts.join(' and ') || 'of any size'}`;
}

const HUMAN_UNITS: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9 };

// `16k` and `1.5M` as numbers (human-readable ints), else the plain number of the text.
function numberOf(text: string): number {
  const human = /^(\d+(?:\.\d+)?)([kKmMgG])$/.exec(text);
  if (!human) return Number(text);
  return Number(human[1]) * (HUMAN_UNITS[(human[2] as string).toLowerCase()] ?? 1);
}

const fail = (code: ParamProblemCode, message: string, expected?: string): ValueCheck => ({
  ok: false,
  issue: { code, severity: 'error', message, ...(expected ? { expected } : {}) },
});

/** JSON with object keys sorted, so equal configurations give equal argv whatever the key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function asBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // Grid arithmetic leaves float dust (0.8500000000000001); 12 significant digits is what a human meant.
  if (typeof value === 'number' && Number.isFinite(value)) return String(Number(value.toPrecision(12)));
  return undefined;
}

// One scalar item of a given base type (int, float, str, choice) to its text, or the reason it is refused.
function checkScalar(
  flag: FlagSpec,
  base: string,
  value: unknown,
): { text: string } | { problem: ValueIssue } {
  const text = scalarText(value);
  const bad = (code: ParamProblemCode, expected: string) => ({
    problem: {
      code,
      severity: 'error' as const,
      message: `${flag.name} expects ${expected}, got ${describeValue(value)}`,
      expected,
    },
  });
  if (text === undefined) return bad('bad_type', base === 'str' ? 'a string' : `a ${base}`);
  if (flag.special_values?.includes(text)) return { text };
  if (base === 'int') {
    const human = flag.value_format?.includes('human-readable') && HUMAN_INT.test(text);
    if (!INT.test(text) && !human) return bad('bad_type', 'an integer');
  } else if (base === 'float') {
    if (!FLOAT.test(text)) return bad('bad_type', 'a number');
  }
  const range = flag.range && (base === 'int' || base === 'float') ? parseRange(flag.range) : undefined;
  if (range) {
    const n = numberOf(text);
    if (Number.isFinite(n) && !inRange(range, n)) return bad('out_of_range', describeRange(range));
  }
  const closed = flag.choices && flag.choices.length > 0 && !flag.choices_open && !flag.choices_dynamic;
  if (closed && !flag.choices?.includes(text)) return bad('bad_choice', `one of ${flag.choices?.join(', ')}`);
  return { text };
}

/** Checks a (non-null) value against a flag and converts it to what the command line needs. */
export function checkValue(flag: FlagSpec, value: unknown): ValueCheck {
  if (typeof value === 'string' && NULL_WORDS.has(value.trim().toLowerCase())) {
    return fail(
      'null_value',
      `${flag.name} got ${describeValue(value)}; omit the parameter to keep the engine default`,
      'a value (omit the parameter to keep the engine default)',
    );
  }
  const type = flag.type || 'str';
  if (type === 'bool') {
    const on = asBool(value);
    if (on === undefined) {
      // YAML 1.2 (the study files' dialect) reads yes/no/on/off as text, not as booleans.
      const yamlWord = typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value.trim());
      const expected = `true or false${yamlWord ? ' (YAML 1.2 reads yes/no/on/off as text: write true or false)' : ''}`;
      return fail('bad_type', `${flag.name} expects ${expected}, got ${describeValue(value)}`, expected);
    }
    return { ok: true, value: { kind: 'bool', on } };
  }
  if (type === 'json') {
    if (value !== null && typeof value === 'object')
      return { ok: true, value: { kind: 'text', text: stableJson(value) } };
    if (typeof value === 'string') {
      try {
        JSON.parse(value);
        return { ok: true, value: { kind: 'text', text: value } };
      } catch {
        return fail(
          'bad_type',
          `${flag.name} expects a JSON object, got ${describeValue(value)}`,
          'a JSON object',
        );
      }
    }
    return fail(
      'bad_type',
      `${flag.name} expects a JSON object, got ${describeValue(value)}`,
      'a JSON object',
    );
  }
  const listMatch = /^list\[(\w+)\]$/.exec(type);
  const fixedCount = flag.nargs && /^\d+$/.test(flag.nargs) ? Number(flag.nargs) : undefined;
  if (listMatch || fixedCount !== undefined) {
    const base = listMatch?.[1] ?? type;
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0 && flag.nargs !== '*')
      return fail('bad_type', `${flag.name} needs at least one value`, 'at least one value');
    if (fixedCount !== undefined && items.length !== fixedCount) {
      return fail(
        'bad_type',
        `${flag.name} takes exactly ${fixedCount} values, got ${describeValue(value)}`,
        `exactly ${fixedCount} values`,
      );
    }
    const texts: string[] = [];
    for (const item of items) {
      const checked = checkScalar(flag, base, item);
      if ('problem' in checked) return { ok: false, issue: checked.problem };
      texts.push(checked.text);
    }
    return { ok: true, value: { kind: 'list', items: texts } };
  }
  // Tri-state switches such as llama.cpp's `-fa on|off|auto` also take booleans.
  if (typeof value === 'boolean' && flag.choices?.includes('on') && flag.choices.includes('off')) {
    return { ok: true, value: { kind: 'text', text: value ? 'on' : 'off' } };
  }
  let scalar: unknown = value;
  if (
    Array.isArray(value) &&
    type === 'str' &&
    /comma/i.test(`${flag.value_format ?? ''} ${flag.help ?? ''}`)
  ) {
    scalar = value.map((v) => String(v)).join(',');
  } else if (
    value !== null &&
    typeof value === 'object' &&
    type === 'str' &&
    /json/i.test(`${flag.name} ${flag.help ?? ''}`)
  ) {
    scalar = stableJson(value);
  }
  const base = type === 'choice' ? 'choice' : type;
  const checked = checkScalar(flag, base, scalar);
  if ('problem' in checked) return { ok: false, issue: checked.problem };
  if (flag.list_choices) {
    const unknown = checked.text.split(',').filter((item) => !flag.list_choices?.includes(item.trim()));
    if (unknown.length > 0) {
      return fail(
        'bad_choice',
        `${flag.name} items must be among ${flag.list_choices.join(', ')}, got ${unknown.join(', ')}`,
        `items among ${flag.list_choices.join(', ')}`,
      );
    }
  }
  const known = flag.known_values;
  if (known && known.length > 0 && !known.includes(checked.text)) {
    return {
      ok: true,
      value: { kind: 'text', text: checked.text },
      warning: {
        code: 'unknown_value',
        severity: 'warning',
        message: `${flag.name} value ${describeValue(checked.text)} is not among the documented ${known.join(', ')}`,
      },
    };
  }
  return { ok: true, value: { kind: 'text', text: checked.text } };
}
