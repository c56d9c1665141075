// `autotune cleanup`: remove servers, containers and pods this library started and left behind.

import { DockerController } from '../../controllers/docker/docker-controller.js';
import { KubernetesController } from '../../controllers/kubernetes/kubernetes-controller.js';
import { LocalController } from '../../controllers/local/local-controller.js';
import type { Controller } from '../../controllers/types.js';
import { errorMessage } from '../../errors.js';

/** What cleanup did per controller kind. */
export interface CleanupReport {
  kind: string;
  removed: string[];
  skipped?: string;
}

/** Runs cleanup on each requested controller kind; an unreachable control plane is reported, not fatal. */
export async function cleanupAll(
  kinds: readonly string[],
  options: {
    studyId?: string | undefined;
    stateDir?: string | undefined;
    namespace?: string | undefined;
    signal?: AbortSignal;
  },
): Promise<CleanupReport[]> {
  const reports: CleanupReport[] = [];
  for (const kind of kinds) {
    let controller: Controller;
    if (kind === 'local')
      controller = new LocalController(options.stateDir ? { stateDir: options.stateDir } : {});
    else if (kind === 'docker') controller = new DockerController();
    else controller = new KubernetesController(options.namespace ? { namespace: options.namespace } : {});
    try {
      const removed = await controller.cleanup(
        options.studyId,
        options.signal ? { signal: options.signal } : {},
      );
      reports.push({ kind, removed });
    } catch (error) {
      reports.push({ kind, removed: [], skipped: errorMessage(error).split('\n')[0] ?? 'unreachable' });
    }
  }
  return reports;
}
