// Reaping one study's containers whose owning tuner process (on this host) is gone.
import type Docker from 'dockerode';
import { LABEL_KEYS, reapSelector, toDockerLabelFilters } from '../labels.js';
import { ownerGone } from '../owner.js';
import { retryControlPlane } from '../retry.js';
import { dockerCall } from './container-removal.js';

/** Force-removes the study's containers whose owner is dead; returns their names. */
export async function reapContainers(
  docker: Docker,
  studyId: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const filters = { label: toDockerLabelFilters(reapSelector(studyId)) };
  const found = await retryControlPlane(
    () => docker.listContainers({ all: true, filters, abortSignal: signal }),
    { plane: 'docker', what: 'list containers', signal },
  );
  const removed: string[] = [];
  for (const info of found) {
    const labels = info.Labels ?? {};
    if (!ownerGone({ host: labels[LABEL_KEYS.ownerHost], pid: labels[LABEL_KEYS.ownerPid] })) continue;
    const container = docker.getContainer(info.Id);
    await dockerCall(() => container.remove({ force: true, v: true }), `remove container ${info.Id}`, {
      ignore: [404, 409],
      signal,
    });
    removed.push((info.Names[0] ?? info.Id).replace(/^\//, ''));
  }
  return removed;
}
