// `autotune estimate`: the simulator's analytic prediction for one configuration, no server, no GPU.
import { InvalidOptionError } from '../../errors.js';
import { launchSpec } from '../../runtimes/launch-spec.js';
import type { EngineFlavor } from '../../runtimes/runtime-name.js';
import { getRuntime } from '../../runtimes/runtimes.js';
import { type EstimateResult, estimate } from '../../sim/estimate.js';
import { parseSimArgs } from '../../sim/sim-args.js';

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

/** Parses `key=value` settings (numbers and booleans typed). */
export function parseSettings(pairs: readonly string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InvalidOptionError('--set', pair, 'key=value, e.g. max-num-seqs=128');
    const raw = pair.slice(at + 1);
    out[pair.slice(0, at)] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : raw;
  }
  return out;
}

/** Runs the analytic estimate through the same flag parsing the simulator process uses. */
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
