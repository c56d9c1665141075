// Launch specs of the contract scenarios for the local controller, served by the fixture server process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LaunchSpec } from '../../../src/controllers/types.js';
import type { ContractIds, ContractScenario } from './contract.js';

const FIXTURE = fileURLToPath(new URL('../../support/fixture-server.mjs', import.meta.url));

const SCENARIO_ARGS: Record<ContractScenario, string[]> = {
  serve: ['--ready-after-ms', '200', '--spawn-child'],
  crash: ['--exit-after-ms', '500', '--exit-code', '3', '--never-ready'],
  'never-ready': ['--never-ready', '--spawn-child'],
  slow: ['--ready-after-ms', '60000'],
};

/** A launch spec running the fixture server locally for one contract scenario. */
export function localFixtureSpec(scenario: ContractScenario, ids: ContractIds): LaunchSpec {
  return {
    runtime: 'sim',
    command: process.execPath,
    args: [FIXTURE, ...SCENARIO_ARGS[scenario]],
    env: {},
    portFlag: '--port',
    hostFlag: '--host',
    readiness: {
      path: '/health',
      alsoPaths: ['/v1/models'],
      timeoutMs: scenario === 'never-ready' ? 1_500 : 60_000,
    },
    gpus: [],
    cwd: path.dirname(FIXTURE),
    ...ids,
  };
}
