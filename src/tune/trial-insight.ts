// What a trial learns about its engine beyond latencies: the real version, the telemetry settings, the diagnosis.
import { engineSeries } from '../runtimes/engine-metrics.js';
import { detectEngineVersion, releaseVersion, versionsDiffer } from '../runtimes/engine-version.js';
import { detectKvCapacity } from '../runtimes/kv-capacity.js';
import type { RunMetrics } from '../slo/types.js';
import type { Clock } from '../util/clock.js';
import type { LogSink } from '../util/logger.js';
import { createScorer } from './create-scorer.js';
import { diagnoseTrial } from './diagnose-trial.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { TrialManifest } from './trial-record.js';
import type { TelemetrySettings, TrialTelemetry } from './trial-telemetry.js';

// The flag an engine caps concurrent sequences with, for the diagnosis's advice.
const CONCURRENCY_FLAGS: Record<string, string> = {
  vllm: '--max-num-seqs',
  sglang: '--max-running-requests',
  llamacpp: '--parallel',
};

/** The release the flag registry belongs to (`0.22.0`), when it names one. */
export function registryRelease(resolved: ResolvedOptions): string | undefined {
  return releaseVersion(resolved.runtime.registry.engineVersion);
}

/** How a trial samples its engine, or undefined when telemetry is off. */
export function telemetrySettings(
  resolved: ResolvedOptions,
  endpoint: string,
  timeScale: number,
  clock: Clock | undefined,
  gpus?: { gpuIndices: readonly number[]; command?: string },
  launch: { args: readonly string[]; env: Readonly<Record<string, string>> } = { args: [], env: {} },
): TelemetrySettings | undefined {
  const { options, runtime } = resolved;
  if (!options.telemetry.enabled) return undefined;
  const sampleGpus = options.telemetry.gpus && gpus !== undefined && gpus.gpuIndices.length > 0;
  const base = `${endpoint.replace(/\/+$/, '')}/`;
  const slots = runtime.metrics.kvUsageFromSlots;
  return {
    ...(sampleGpus ? { gpu: { ...gpus, intervalMs: options.telemetry.intervalMs } } : {}),
    metricsUrl: new URL(runtime.metrics.path, base).href,
    series: engineSeries(runtime.metrics),
    ...(slots
      ? { kvFromSlots: { url: new URL(slots.path, base).href, pool: slots.pool(launch.args, launch.env) } }
      : {}),
    // A simulated engine runs `timeScale` times faster: sample at the interval of its simulated time.
    intervalMs: Math.max(100, options.telemetry.intervalMs / timeScale),
    ...(clock ? { clock } : {}),
  };
}

/**
 * Records the running engine's version in the manifest (its version endpoint, else the image's version label)
 * and warns, once per `warned` set, when it is not the release the parameters were validated against.
 */
export async function recordEngineVersion(
  resolved: ResolvedOptions,
  manifest: TrialManifest,
  server: { endpoint: string; imageVersion?: string | undefined },
  context: { signal: AbortSignal; logger: LogSink; warned: Set<string> },
): Promise<void> {
  const probe = resolved.runtime.versionProbe;
  const detected =
    (probe ? await detectEngineVersion(server.endpoint, probe, { signal: context.signal }) : undefined) ??
    server.imageVersion;
  manifest.engineVersion = detected;
  const registry = resolved.runtime.registry.engineVersion;
  if (detected === undefined || !versionsDiffer(detected, registry) || context.warned.has(detected)) return;
  context.warned.add(detected);
  context.logger.warn(
    { engineVersion: detected, registryVersion: registry },
    `the engine reports version ${detected} but its parameters were validated against the flag registry of ${registry}; flags may differ`,
  );
}

/**
 * The KV cache capacity (tokens) the started engine reports, when its adapter knows how to ask; undefined when it
 * does not say. Rejects only when the trial is aborted.
 */
export async function readKvCapacity(
  resolved: ResolvedOptions,
  endpoint: string,
  signal: AbortSignal,
): Promise<number | undefined> {
  const probe = resolved.runtime.kvCapacityProbe;
  return probe ? detectKvCapacity(endpoint, probe, { signal }) : undefined;
}

/** The diagnosis of a measured trial, from its telemetry and whether it met the SLO. */
export function trialDiagnosis(
  resolved: ResolvedOptions,
  metrics: RunMetrics,
  worldSize: number,
  telemetry: TrialTelemetry | undefined,
): string[] {
  const feasible = createScorer(resolved.objective, resolved.slo).score(metrics, worldSize).feasible;
  return diagnoseTrial({
    telemetry,
    feasible,
    concurrencyFlag: CONCURRENCY_FLAGS[resolved.runtime.flavor],
    sharedPrefixes: resolved.options.workload.kind === 'shared-prefix',
  });
}
