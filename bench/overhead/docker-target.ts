// The Docker controller as an overhead-benchmark target: the fixture server in the sim test image.
import { DockerController } from '../../src/controllers/docker/docker-controller.js';
import { ensureTestImage } from '../../test/integration/docker/docker-env.js';
import { dockerFixtureSpec } from '../../test/integration/docker/docker-fixture.js';
import type { OverheadTarget } from './overhead-target.js';

/** Containers on the local dockerd (bridge network, published port). */
export const dockerTarget: OverheadTarget = {
  name: 'docker',
  async setup() {
    // Builds or refreshes the image so that it carries the current fixture server.
    await ensureTestImage('sim');
    return async () => {
      await new DockerController().cleanup('bench-overhead');
    };
  },
  controller(fixedPollMs) {
    return new DockerController({
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
    const spec = dockerFixtureSpec('serve', { studyId: 'bench-overhead', trialId: `run-${run}` });
    return { ...spec, args: ['--ready-after-ms', String(readyAfterMs)] };
  },
};
