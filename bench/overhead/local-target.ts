// The local controller as an overhead-benchmark target.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { localFixtureSpec } from '../../test/integration/controllers/local-fixture.js';
import type { OverheadTarget } from './overhead-target.js';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'autotune-bench-'));

/** Local child processes. */
export const localTarget: OverheadTarget = {
  name: 'local',
  async setup() {
    return async () => rmSync(stateDir, { recursive: true, force: true });
  },
  controller(fixedPollMs) {
    return new LocalController({
      stateDir,
      stopGraceMs: 10_000,
      ...(fixedPollMs
        ? {
            readinessInitialIntervalMs: fixedPollMs,
            readinessMaxIntervalMs: fixedPollMs,
            wakeOnLogLine: false,
          }
        : {}),
    });
  },
  spec(readyAfterMs, run) {
    const spec = localFixtureSpec('serve', { studyId: 'bench-overhead', trialId: `run-${run}` });
    return { ...spec, args: [spec.args[0] as string, '--ready-after-ms', String(readyAfterMs)] };
  },
};
