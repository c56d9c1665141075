// `autotune submit <study> [--ui <url>]`: hands a study file to a running `autotune ui`, which runs it in its
// process (sharing the host's GPUs with the studies it already runs).
import { readFile } from 'node:fs/promises';
import { InvalidOptionError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';

/** Flags of `autotune submit`. */
export interface SubmitFlags {
  ui: string;
}

/** Posts the study file; prints its page on success, the dashboard's answer otherwise; returns the exit code. */
export async function submitCommand(file: string, flags: SubmitFlags): Promise<number> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new InvalidOptionError('study file', file, 'a readable YAML or JSON file', { cause: error });
  });
  let base: URL;
  try {
    base = new URL(flags.ui);
  } catch (error) {
    throw new InvalidOptionError('--ui', flags.ui, 'the address autotune ui printed', { cause: error });
  }
  const token = process.env['AUTOTUNE_UI_TOKEN'];
  const response = await fetch(new URL('/api/run/submit', base), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-autotune-ui': '1',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ file: text }),
  });
  const answer = (await response.json().catch(() => ({}))) as { id?: string; error?: string };
  if (response.ok && answer.id) {
    process.stdout.write(`${new URL(`/study?journal=${encodeURIComponent(answer.id)}`, base)}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`autotune: ${answer.error ?? `the dashboard answered ${response.status}`}\n`);
  return response.status === 400 || response.status === 409 ? EXIT.usage : EXIT.error;
}
