// `autotune estimate`: the simulator's analytic prediction for one configuration, no server, no GPU.
import { InvalidOptionError, InvalidParameterError } from '../../errors.js';
import { launchSpec } from '../../runtimes/launch-spec.js';
import type { EngineFlavor } from '../../runtimes/runtime-name.js';
import { getRuntime } from '../../runtimes/runtimes.js';
import { type EstimateResult, estimate } from '../../sim/estimate.js';
import { findGpu, gpuCatalogue } from '../../sim/gpu-catalogue.js';
import { findModel, modelCatalogue } from '../../sim/model-catalogue.js';
import { parseSimArgs } from '../../sim/sim-args.js';
import { EXIT } from '../exit-codes.js';

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
  if (request.concurrency !== undefined && request.ratePerS !== undefined)
    throw new InvalidOptionError(
      '--concurrency',
      request.concurrency,
      `either a concurrency or a request rate (--rate ${request.ratePerS}), not both`,
    );
  // The model and the GPU first: a name the catalogue lacks is the user's --model or --gpu, not a --set flag.
  if (!findModel(request.model))
    throw new InvalidOptionError(
      '--model',
      request.model,
      `a model of the simulator's catalogue: ${modelCatalogue()
        .map((m) => m.name)
        .join(', ')}`,
    );
  if (!findGpu(request.gpu))
    throw new InvalidOptionError(
      '--gpu',
      request.gpu,
      `a GPU of the simulator's catalogue: ${gpuCatalogue()
        .map((g) => g.name)
        .join(', ')}`,
    );
  const runtime = getRuntime('sim', { engine: request.engine });
  let spec: ReturnType<typeof launchSpec>;
  try {
    spec = launchSpec(request.params, [], {
      runtime,
      model: request.model,
      studyId: 'estimate',
      trialId: 'estimate',
      sim: { gpu: request.gpu },
    });
  } catch (error) {
    // An unknown flag or a bad flag value: the model and GPU were checked, so it is one of the --set pairs.
    if (error instanceof InvalidParameterError)
      throw new InvalidOptionError(
        '--set',
        request.params,
        `${request.engine} flags with valid values (${error.message})`,
        { cause: error },
      );
    throw error;
  }
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
export function estimateCommand(
  input: Omit<EstimateRequest, 'params'> & { settings: readonly string[] },
  options: { json: boolean },
): number {
  const { settings, ...rest } = input;
  const request: EstimateRequest = { ...rest, params: parseSettings(settings) };
  const result = estimateConfiguration(request);
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : estimateText(request, result));
  return result.ok ? EXIT.ok : EXIT.noFeasible;
}
