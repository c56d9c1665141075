// Start-up failures that are monotone along hinted parameters: a configuration ran out of memory, so one that
// needs no less memory per GPU will too; a layout did not fit the GPUs, so one that occupies no fewer will not.

import type { ParamDef } from './param-spec.js';
import { sortedNumericValues } from './param-values.js';
import type { Params, ParamValue, Trial } from './trial.js';

/**
 * Failure reasons and the `lowers` hint key along which each becomes less likely: out of memory, a layout the
 * engine refused for the GPUs it saw, and a layout wider than the study's GPUs (`no-capacity`: the pool or the
 * cluster's largest node cannot hold it).
 */
const MONOTONE_FAILURES: Readonly<Record<string, string>> = {
  oom: 'memory',
  'kv-too-small': 'memory',
  'invalid-parallelism': 'gpus',
  'no-capacity': 'gpus',
};

// Position of a value along the parameter's order (numbers ascending, false before true), if ordered.
function position(param: ParamDef, value: ParamValue): number | undefined {
  if (param.kind === 'int' || param.kind === 'float') return value as number;
  if (param.kind === 'bool') return value === true ? 1 : 0;
  const ordered = sortedNumericValues(param);
  return ordered ? ordered.indexOf(value as number) : undefined;
}

/** A failed trial with the hinted parameters its failure is monotone along, and each one's hinted value. */
export interface FailureRule {
  params: Params;
  /** What the failure was short of: the `lowers` hint key (`memory` per GPU, or `gpus`). */
  kind: string;
  /**
   * True when nothing the rule does not weigh can change the outcome: a layout wider than the study's GPUs
   * (`no-capacity`). Out of memory depends on parameters it does not hint, and an engine refuses a layout for
   * reasons other than its width too (attention heads that a tensor-parallel size does not divide), so those
   * rules only make a failure likely.
   */
  certain: boolean;
  hinted: readonly { param: ParamDef; target: ParamValue }[];
}

/** Rules learnt from the history's failures (those with a monotone reason and hinted parameters). */
export function failureRules(
  space: { params: readonly ParamDef[] },
  history: readonly Trial[],
): FailureRule[] {
  const rules: FailureRule[] = [];
  for (const t of history) {
    if (t.state !== 'failed' && t.state !== 'invalid') continue;
    const key = MONOTONE_FAILURES[t.failureReason ?? ''];
    if (key === undefined) continue;
    const hinted = space.params.flatMap((param) => {
      const target = param.lowers?.[key];
      return target !== undefined && t.params[param.name] !== undefined ? [{ param, target }] : [];
    });
    if (hinted.length > 0)
      rules.push({ params: t.params, kind: key, certain: t.failureReason === 'no-capacity', hinted });
  }
  return rules;
}

// True when `params` is no closer than the failed configuration to the hinted value on every hinted parameter.
function noBetter(rule: FailureRule, params: Params): boolean {
  for (const { param, target } of rule.hinted) {
    const value = params[param.name];
    const failed = rule.params[param.name] as ParamValue;
    if (value === undefined) return false;
    const here = position(param, value);
    const there = position(param, failed);
    const aim = position(param, target);
    if (here === undefined || there === undefined || aim === undefined) {
      if (value !== failed) return false;
      continue;
    }
    if (Math.abs(aim - here) < Math.abs(aim - there)) return false;
  }
  return true;
}

/** True when a rule predicts the configuration fails to start like an earlier one. */
export function predictedToFail(rules: readonly FailureRule[], params: Params): boolean {
  return rules.some((rule) => noBetter(rule, params));
}

/**
 * True when a certain rule says the configuration cannot run: it occupies no fewer GPUs, along every GPU-hinted
 * parameter, than a layout wider than the study's GPUs.
 */
export function certainToFail(rules: readonly FailureRule[], params: Params): boolean {
  return rules.some((rule) => rule.certain && noBetter(rule, params));
}

/**
 * Layout trades for a configuration a rule rules out: each parallel size it left as in `base` (the
 * configuration it moved from) one step toward fewer GPUs, so that a move to more GPUs along one parallel
 * size gives back GPUs along another (tensor parallel up, data parallel down on the same GPUs).
 */
export function gpuTrades(
  space: { params: readonly ParamDef[] },
  params: Params,
  base: Params,
): { params: Params; change: string }[] {
  const out: { params: Params; change: string }[] = [];
  for (const param of space.params) {
    const target = param.lowers?.['gpus'];
    const value = params[param.name];
    if (target === undefined || value === undefined || value !== base[param.name] || value === target)
      continue;
    const ordered = sortedNumericValues(param);
    if (!ordered || typeof value !== 'number' || typeof target !== 'number') continue;
    const at = ordered.indexOf(value);
    const next = ordered[at + Math.sign(ordered.indexOf(target) - at)];
    if (next === undefined) continue;
    out.push({ params: { ...params, [param.name]: next }, change: `${param.name} ${value} -> ${next}` });
  }
  return out;
}
