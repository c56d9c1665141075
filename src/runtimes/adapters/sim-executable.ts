// How to run the inference-sim CLI from this installation, as a real child process.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InternalError } from '../../errors.js';

/** Name of the simulator's executable: the package's `bin` entry and the command inside its image. */
export const SIM_BIN = 'inference-sim';

/**
 * How a person starts the simulator where this package is installed (or in a checkout after `npm run build`):
 * npx runs the package's own bin; `--no` forbids fetching a registry package of that name instead, and `--`
 * keeps the simulator's flags (`--help`, `--version`) away from npx.
 */
export const SIM_HOST_COMMAND: readonly string[] = ['npx', '--no', '--', SIM_BIN];

/** Command and leading arguments that start `inference-sim` (append its flags). */
export interface SimExecutable {
  command: string;
  args: string[];
}

/**
 * From a build: `[node, <abs>/dist/cli/inference-sim.js]`; from sources (tests running TypeScript):
 * `[node, --import, <tsx loader URL>, <abs>/src/cli/inference-sim.ts]`.
 */
export function simExecutable(): SimExecutable {
  const here = fileURLToPath(import.meta.url);
  const cliDir = join(dirname(here), '..', '..', 'cli');
  if (here.endsWith('.ts')) {
    const loader = createRequire(import.meta.url).resolve('tsx');
    return {
      command: process.execPath,
      args: ['--import', pathToFileURL(loader).href, join(cliDir, 'inference-sim.ts')],
    };
  }
  const built = join(cliDir, 'inference-sim.js');
  if (!existsSync(built))
    throw new InternalError(`inference-sim is missing from this installation: ${built}`);
  return { command: process.execPath, args: [built] };
}
