// Launch specs of the contract scenarios for the local controller: the simulated engine through its runtime adapter.
import type { LaunchSpec } from '../../../src/controllers/types.js';
import { launchSpec } from '../../../src/runtimes/launch-spec.js';
import type { ContractIds, ContractScenario } from './contract.js';

// Simulated start-up of llama-3.1-8b on one H100 scaled: about 0.1 s (serve), never within the test (slow, never-ready).
const SCENARIOS: Record<
  ContractScenario,
  { loadTimeScale: number; startupCrashRate?: number; timeoutMs: number }
> = {
  serve: { loadTimeScale: 0.002, timeoutMs: 60_000 },
  crash: { loadTimeScale: 0.002, startupCrashRate: 1, timeoutMs: 60_000 },
  'never-ready': { loadTimeScale: 1_000, timeoutMs: 1_500 },
  slow: { loadTimeScale: 1_000, timeoutMs: 60_000 },
};

/** A launch spec running `inference-sim` as a local process for one contract scenario. */
export function localSimSpec(scenario: ContractScenario, ids: ContractIds): LaunchSpec {
  const { loadTimeScale, startupCrashRate, timeoutMs } = SCENARIOS[scenario];
  return launchSpec({}, [], {
    runtime: 'sim',
    model: 'llama-3.1-8b',
    ...ids,
    readinessTimeoutMs: timeoutMs,
    sim: { gpu: 'h100', numGpus: 1, loadTimeScale, ...(startupCrashRate ? { startupCrashRate } : {}) },
  });
}

/** How the simulator reports a start-up crash. */
export const SIM_CRASH = { exitCode: 1, logPattern: /simulated start-up crash/ };
