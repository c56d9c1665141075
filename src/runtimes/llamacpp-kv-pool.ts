// Whether a llama-server's slots share one KV pool, from the arguments and environment it was started with.
import type { KvPool } from '../benchmark/slots-kv-usage.js';

const ON = new Set(['--kv-unified', '-kvu']);
const OFF = new Set(['--no-kv-unified', '-no-kvu']);
const PARALLEL = new Set(['--parallel', '-np']);

function envFlag(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'enabled', 'yes'].includes(v)) return true;
  if (['0', 'false', 'off', 'disabled', 'no'].includes(v)) return false;
  return undefined;
}

/**
 * `--kv-unified` shares one pool between the slots; llama-server turns it on by itself when the number of slots is
 * left to it (`--parallel` unset or -1) and off otherwise. Arguments win over `LLAMA_ARG_*` variables.
 */
export function llamacppKvPool(args: readonly string[], env: Readonly<Record<string, string>> = {}): KvPool {
  let unified = envFlag(env['LLAMA_ARG_KV_UNIFIED']);
  let parallel: string | undefined = env['LLAMA_ARG_N_PARALLEL'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (ON.has(flag)) unified = inline === undefined ? true : (envFlag(inline) ?? true);
    else if (OFF.has(flag)) unified = false;
    else if (PARALLEL.has(flag)) parallel = inline ?? args[++i];
  }
  if (unified !== undefined) return unified ? 'shared' : 'split';
  const slots = parallel === undefined ? -1 : Number(parallel);
  return slots === -1 ? 'shared' : 'split';
}
