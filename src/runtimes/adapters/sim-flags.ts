// The simulator's own command-line flags (beside the imitated engine's flags).
import { ENGINE_FLAVORS } from '../../parallelism/engine-flavor.js';
import type { FlagSpec } from '../registry.js';

/** A flag of inference-sim itself. */
export interface SimFlag {
  name: string;
  type: 'str' | 'int' | 'float';
  help: string;
  choices?: string[];
}

/** Flags every flavour accepts; they win over an engine flag of the same spelling (--model, --seed, --host, --port). */
export const SIM_FLAGS: readonly SimFlag[] = [
  {
    name: '--engine',
    type: 'str',
    choices: [...ENGINE_FLAVORS],
    help: 'engine whose flags and scheduling are imitated (default vllm)',
  },
  {
    name: '--model',
    type: 'str',
    help: 'catalogue model (e.g. llama-3.1-8b, qwen2.5-72b) or a Hugging Face id of one (default llama-3.1-8b)',
  },
  {
    name: '--gpu',
    type: 'str',
    help: 'catalogue GPU (h100, h200, b200, a100-40gb, a100-80gb, l40s, rtx-4090; default h100)',
  },
  {
    name: '--num-gpus',
    type: 'int',
    help: 'GPUs visible to the engine (default: what the parallel layout needs)',
  },
  { name: '--seed', type: 'int', help: 'seed of every random draw (default 0)' },
  {
    name: '--time-scale',
    type: 'float',
    help: 'simulated time runs this many times faster than real time (default 1)',
  },
  { name: '--noise-cv', type: 'float', help: 'coefficient of variation of step-time noise (default 0.05)' },
  {
    name: '--load-time-scale',
    type: 'float',
    help: 'multiplier of the simulated start-up time, 0 = instant (default 1)',
  },
  { name: '--startup-crash-rate', type: 'float', help: 'probability that start-up crashes (default 0)' },
  {
    name: '--crash-after-requests',
    type: 'int',
    help: 'crash after completing this many requests (default never)',
  },
  {
    name: '--model-config',
    type: 'str',
    help: "model described by its config.json: a model folder or the file (instead of --model's catalogue)",
  },
  {
    name: '--deviate-compute',
    type: 'float',
    help: "factor on the GPU's modelled compute efficiency: an engine faster or slower than the model (default 1)",
  },
  {
    name: '--deviate-bandwidth',
    type: 'float',
    help: 'factor on the modelled memory bandwidth efficiency (default 1)',
  },
  {
    name: '--deviate-step-ms',
    type: 'float',
    help: 'extra overhead of every scheduler step in ms (default 0)',
  },
  {
    name: '--deviate-reserve-gib',
    type: 'float',
    help: 'extra memory the engine reserves per GPU beyond the modelled reserve, in GiB (default 0)',
  },
  {
    name: '--engine-version',
    type: 'str',
    help: "version the server reports on /version, /server_info and /props (default the imitated engine's)",
  },
  { name: '--host', type: 'str', help: 'listen address (default 127.0.0.1)' },
  { name: '--port', type: 'int', help: 'listen port, 0 = any free port (default 8000)' },
];

/** The sim flags as registry entries, for the shared parser. */
export function simFlagSpecs(): FlagSpec[] {
  return SIM_FLAGS.map((flag) => ({
    name: flag.name,
    aliases: [],
    type: flag.choices ? 'choice' : flag.type,
    ...(flag.choices ? { choices: flag.choices } : {}),
    help: flag.help,
  }));
}

/** Usage text of `inference-sim --help`. */
export function simUsage(): string {
  const rows = SIM_FLAGS.map((flag) => `  ${flag.name.padEnd(24)} ${flag.help}`);
  return [
    'usage: inference-sim [--engine vllm|sglang|llamacpp] [simulator flags] [engine flags]',
    '',
    'An OpenAI-compatible server whose speed and failures follow a performance model of LLM serving.',
    'Every flag of the imitated engine is accepted (modelled ones change behaviour, others are ignored);',
    'unknown flags fail like the engine does. Prompt tokens = whitespace-separated words.',
    '',
    'simulator flags:',
    ...rows,
    '',
  ].join('\n');
}
