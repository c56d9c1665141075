// The flags a study sets on every launch itself (host, port, model, a simulated engine's seed and speed), each
// with the reason and the option that controls it.
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';

// Why a flag is the study's, by canonical flag name.
const OWNED_REASONS: Readonly<Record<string, string>> = {
  '--port': 'the controller chooses the port of every launch',
  '--host': 'the controller chooses the address every launch listens on',
  '--uds': 'the controller reaches the engine over TCP on a port it chooses',
  '--model': 'the model comes from the `model` (or `modelPath`) option',
  '--model-path': 'the model comes from the `model` (or `modelPath`) option',
  model_tag: 'the model comes from the `model` (or `modelPath`) option',
  '--engine': 'the imitated engine comes from the `engine` option',
  '--gpu': 'the simulated GPU comes from `sim.gpu`',
  '--num-gpus': 'the simulated GPU count comes from the GPUs each trial leases',
};

/**
 * Flags a study sets on a simulated engine from its own options; a value given elsewhere would replace them
 * while the study goes on believing its own (a time scale the measurements are scaled back by, per-trial seeds).
 */
export const SIMULATED_OWNED: Readonly<Record<string, string>> = {
  '--seed': 'each trial gets its own seed, derived from the `seed` option',
  '--time-scale': 'the speed-up comes from `sim.timeScale` (the study scales the measurements back by it)',
  '--noise-cv': 'the noise comes from `sim.noiseCv`',
  '--startup-crash-rate': 'the crash rate comes from `sim.startupCrashRate`',
};

/** The flags the study sets on every launch of this runtime, each with the reason (and the option to use). */
export function studyOwnedFlags(runtime: RuntimeAdapter): Map<string, string> {
  const owned = new Map<string, string>();
  for (const flag of [...runtime.reservedFlags, runtime.portFlag, runtime.hostFlag])
    owned.set(flag, OWNED_REASONS[flag] ?? 'the study sets it on every launch');
  if (runtime.traits.devices === 'simulated')
    for (const [flag, reason] of Object.entries(SIMULATED_OWNED)) owned.set(flag, reason);
  return owned;
}
