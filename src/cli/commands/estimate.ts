// `autotune estimate`: the simulator's analytic prediction for one configuration, no server, no GPU.
import { InvalidOptionError } from '../../errors.js';
import { launchSpec } from '../../runtimes/launch-spec.js';
import type { EngineFlavor } from '../../runtimes/runtime-name.js';
import { getRuntime } from '../../runtimes/runtimes.js';
import { checkParams } from '../../runtimes/validate-params.js';
import { type EstimateResult, estimate } from '../../sim/estimate.js';
import { findGpu, gpuCatalogue } from '../../sim/gpu-catalogue.js';
import { findModel, modelCatalogue } from '../../sim/model-catalogue.js';
import { parseSimArgs } from '../../sim/sim-args.js';
import { type OptionProblem, OptionsError } from '../../tune/options-error.js';
import { expectedOf } from '../../tune/param-checks.js';
import { EXIT } from '../exit-codes.js';
import { positiveFlag } from '../option-parsers.js';

/** Inputs of an estimate. */
export interface EstimateRequest {
  model: string;
  gpu: string;
  engine: EngineFlavor;
  params: Record<string, string | number | boolean>;
  inputTokens: number;
  outputTokens: number;
  concurrency?: number | undefined;
  ratePerS?: number | undefined;
}

/** The command's inputs as typed (numbers still text), checked together by estimateRequest. */
export interface EstimateInput {
  model: string;
  gpu: string;
  engine: EngineFlavor;
  /** `key=value` pairs of `--set`. */
  settings: readonly string[];
  inputTokens: string;
  outputTokens: string;
  concurrency?: string | undefined;
  rate?: string | undefined;
}

// A `--set` value typed as the simulator's flag parser reads it: booleans, numbers, else the text.
const typed = (raw: string): string | number | boolean =>
  raw === 'true'
    ? true
    : raw === 'false'
      ? false
      : raw !== '' && Number.isFinite(Number(raw))
        ? Number(raw)
        : raw;

/**
 * The request `input` describes, or one OptionsError with every problem of it: counts that are not positive,
 * both a concurrency and a rate, a model or GPU the catalogue lacks, a malformed `--set` pair, and each engine
 * flag the runtime would refuse (unknown, with a did-you-mean; a bad value; one the estimate sets itself).
 */
export function estimateRequest(input: EstimateInput): EstimateRequest {
  const problems: OptionProblem[] = [];
  const count = (option: string, raw: string | undefined, integer: boolean): number | undefined =>
    positiveFlag(problems, option, raw, integer);
  const inputTokens = count('--input-tokens', input.inputTokens, true);
  const outputTokens = count('--output-tokens', input.outputTokens, true);
  const concurrency = count('--concurrency', input.concurrency, true);
  const ratePerS = count('--rate', input.rate, false);
  if (input.concurrency !== undefined && input.rate !== undefined)
    problems.push({
      path: '--concurrency',
      value: input.concurrency,
      expected: `either a concurrency or a request rate (--rate ${input.rate}), not both`,
    });
  const notIn = (option: string, value: string, what: string, names: readonly { name: string }[]) =>
    problems.push({
      path: option,
      value,
      expected: `${what} of the simulator's catalogue: ${names.map((n) => n.name).join(', ')}`,
    });
  if (!findModel(input.model)) notIn('--model', input.model, 'a model', modelCatalogue());
  if (!findGpu(input.gpu)) notIn('--gpu', input.gpu, 'a GPU', gpuCatalogue());
  const params: Record<string, string | number | boolean> = {};
  for (const pair of input.settings) {
    const at = pair.indexOf('=');
    if (at <= 0) problems.push({ path: '--set', value: pair, expected: 'key=value, e.g. max-num-seqs=128' });
    else params[pair.slice(0, at)] = typed(pair.slice(at + 1));
  }
  const runtime = getRuntime('sim', { engine: input.engine });
  for (const problem of checkParams(params, runtime).problems)
    if (problem.severity === 'error')
      problems.push({
        path: `--set ${problem.param}`,
        value: problem.value ?? params[problem.param],
        expected: expectedOf(problem, runtime),
      });
  if (problems.length > 0) throw new OptionsError(problems, 'estimate options');
  return {
    model: input.model,
    gpu: input.gpu,
    engine: input.engine,
    params,
    inputTokens: inputTokens as number,
    outputTokens: outputTokens as number,
    concurrency,
    ratePerS,
  };
}

/** Runs the analytic estimate of a request estimateRequest checked, through the simulator process's flag parsing. */
export function estimateConfiguration(request: EstimateRequest): EstimateResult {
  const runtime = getRuntime('sim', { engine: request.engine });
  const spec = launchSpec(request.params, [], {
    runtime,
    model: request.model,
    studyId: 'estimate',
    trialId: 'estimate',
    sim: { gpu: request.gpu },
  });
  const parsed = parseSimArgs(spec.args.slice(runtime.commandArgs.length));
  if ('exitCode' in parsed) throw new InvalidOptionError('--set', request.params, parsed.message);
  return estimate(parsed.config, {
    promptTokens: request.inputTokens,
    outputTokens: request.outputTokens,
    ...(request.ratePerS !== undefined
      ? { requestRatePerS: request.ratePerS }
      : { concurrency: request.concurrency ?? 16 }),
  });
}

/** Human-readable estimate. */
export function estimateText(request: EstimateRequest, result: EstimateResult): string {
  if (!result.ok)
    return `${request.model} on ${request.gpu}: would fail at start-up (${result.failure.kind}): ${result.failure.message}\n`;
  const e = result.estimate;
  const load =
    request.ratePerS !== undefined ? `${request.ratePerS} req/s` : `concurrency ${request.concurrency ?? 16}`;
  return [
    `${request.model} on ${request.gpu} (${request.engine} flags), ${request.inputTokens} in / ${request.outputTokens} out tokens, ${load}:`,
    `  throughput ${e.outputTokensPerS.toFixed(0)} output tok/s, ${e.requestsPerS.toFixed(2)} req/s${e.saturated ? ' (saturated: queues grow)' : ''}`,
    `  TTFT p50 ${e.ttftMs.p50.toFixed(1)} ms, p99 ${e.ttftMs.p99.toFixed(1)} ms`,
    `  TPOT p50 ${e.tpotMs?.p50.toFixed(1) ?? '-'} ms, p99 ${e.tpotMs?.p99.toFixed(1) ?? '-'} ms`,
    `  KV cache ${e.kvCapacityTokens} tokens; ${e.maxConcurrencyBeforeKvPressure} concurrent requests before KV pressure`,
    `  start-up ${(e.startupMs / 1000).toFixed(1)} s`,
    '',
  ].join('\n');
}

/** `autotune estimate`: prints the estimate of one configuration; exit 3 when it would fail at start-up. */
export function estimateCommand(input: EstimateInput, options: { json: boolean }): number {
  const request = estimateRequest(input);
  const result = estimateConfiguration(request);
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : estimateText(request, result));
  return result.ok ? EXIT.ok : EXIT.noFeasible;
}
