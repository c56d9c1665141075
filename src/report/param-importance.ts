// Parameter importance: a variance-based main-effect estimate (epsilon squared) from the measured trials.
import type { ParamValue } from '../search/trial.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { firstObjective } from './trial-view.js';

/** Name of the method, shown next to the chart. */
export const IMPORTANCE_METHOD =
  'variance-based main effects: epsilon squared, the bias-corrected share of the objective variance that ' +
  "each parameter's groups explain on their own (numeric parameters binned into up to 5 quantile groups), " +
  'over complete search trials; interactions are not attributed';

/** Importance of one parameter. */
export interface ParamImportance {
  name: string;
  /** Epsilon squared in [0, 1] (negative estimates clamp to 0). */
  importance: number;
  /** Groups compared (distinct values or bins). */
  groups: number;
}

/** Parameter names in first-seen order over the given trials. */
export function paramNames(trials: readonly TrialRecord[]): string[] {
  const names = new Set<string>();
  for (const trial of trials) for (const name of Object.keys(trial.params)) names.add(name);
  return [...names];
}

/** True when every present value of the parameter is a number. */
export function isNumericParam(trials: readonly TrialRecord[], name: string): boolean {
  const values = trials.map((t) => t.params[name]).filter((v) => v !== undefined);
  return values.length > 0 && values.every((v) => typeof v === 'number');
}

// Group keys: categories by value; numbers by value when few, else by quantile bin.
function groupKeys(values: ReadonlyArray<ParamValue | undefined>, numeric: boolean): string[] {
  const distinct = new Set(values.map(String));
  if (!numeric || distinct.size <= 5) return values.map((v) => (v === undefined ? '(unset)' : String(v)));
  const sorted = values.map((v, i) => ({ v: Number(v), i })).sort((a, b) => a.v - b.v || a.i - b.i);
  const keys = new Array<string>(values.length);
  sorted.forEach(({ i }, rank) => {
    keys[i] = `bin${Math.min(4, Math.floor((rank * 5) / sorted.length))}`;
  });
  return keys;
}

/** Importance of every parameter, most important first; empty with fewer than 4 measured trials. */
export function paramImportance(trials: readonly TrialRecord[]): ParamImportance[] {
  const measured = trials.filter(
    (t) => t.phase === 'search' && t.state === 'complete' && firstObjective(t) !== undefined,
  );
  if (measured.length < 4) return [];
  const y = measured.map((t) => firstObjective(t) as number);
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const total = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const out: ParamImportance[] = [];
  for (const name of paramNames(measured)) {
    const keys = groupKeys(
      measured.map((t) => t.params[name]),
      isNumericParam(measured, name),
    );
    const groups = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const list = groups.get(key) ?? [];
      list.push(y[i] as number);
      groups.set(key, list);
    });
    const k = groups.size;
    let between = 0;
    let within = 0;
    for (const list of groups.values()) {
      const m = list.reduce((s, v) => s + v, 0) / list.length;
      between += list.length * (m - mean) ** 2;
      within += list.reduce((s, v) => s + (v - m) ** 2, 0);
    }
    const n = measured.length;
    const msWithin = n > k ? within / (n - k) : 0;
    const epsilon = total > 0 && k > 1 ? (between - (k - 1) * msWithin) / (total + msWithin) : 0;
    out.push({ name, importance: Math.max(0, Math.min(1, epsilon)), groups: k });
  }
  return out.sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
}
