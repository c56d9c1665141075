// Launch specs of the contract scenarios for the Docker controller: the fixture server inside the sim test image.
import type { LaunchSpec } from '../../../src/controllers/types.js';
import type { ContractIds, ContractScenario } from '../controllers/contract.js';
import { SIM_IMAGE } from './docker-env.js';

const SCENARIO_ARGS: Record<ContractScenario, string[]> = {
  serve: ['--ready-after-ms', '200'],
  crash: ['--exit-after-ms', '500', '--exit-code', '3', '--never-ready'],
  'never-ready': ['--never-ready'],
  slow: ['--ready-after-ms', '60000'],
};

/** A launch spec running the fixture server in a container for one contract scenario. */
export function dockerFixtureSpec(scenario: ContractScenario, ids: ContractIds): LaunchSpec {
  return {
    runtime: 'sim',
    command: 'fixture-server',
    args: SCENARIO_ARGS[scenario],
    image: SIM_IMAGE,
    env: {},
    portFlag: '--port',
    hostFlag: '--host',
    containerPort: 8000,
    readiness: {
      path: '/health',
      alsoPaths: ['/v1/models'],
      timeoutMs: scenario === 'never-ready' ? 1_500 : 60_000,
    },
    gpus: [],
    ...ids,
  };
}
