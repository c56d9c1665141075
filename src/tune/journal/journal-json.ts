// JSON for journal lines with exact non-finite numbers (JSON itself has no Infinity, -Infinity, NaN or -0).
//
// Format version 2 writes every number that JSON cannot carry as a tagged object:
//   Infinity -> {"$num":"Infinity"}   -Infinity -> {"$num":"-Infinity"}   NaN -> {"$num":"NaN"}   -0 -> {"$num":"-0"}
// and reads such an object back as the number it names. Every other value is plain JSON.
// (Format version 1 wrote `null` for all of them; its reader restores them field by field.)

const TAG = '$num';
const TAGGED = new Set(['Infinity', '-Infinity', 'NaN', '-0']);

function tagged(value: number): { [TAG]: string } | number {
  if (Number.isFinite(value) && !Object.is(value, -0)) return value;
  return { [TAG]: Object.is(value, -0) ? '-0' : String(value) };
}

/** Serialises a journal value on one line, exactly: numbers JSON cannot carry are tagged. */
export function encodeJournalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? tagged(v) : v));
}

function isTag(value: unknown): value is { [TAG]: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const name = (value as Record<string, unknown>)[TAG];
  return keys.length === 1 && typeof name === 'string' && TAGGED.has(name);
}

/** Parses one version-2 journal line, turning tagged numbers back into numbers (throws SyntaxError). */
export function decodeJournalJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => (isTag(v) ? Number(v[TAG]) : v));
}
