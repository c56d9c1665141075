// `autotune cleanup`: remove servers, containers and pods this library started and left behind.
import type { ControllerKind, ControllerSpec } from '../../controllers/controller-spec.js';
import { createController } from '../../controllers/create-controller.js';
import { errorMessage } from '../../errors.js';
import { EXIT } from '../exit-codes.js';

/** What cleanup did per controller kind. */
export interface CleanupReport {
  kind: string;
  removed: string[];
  skipped?: string;
}

function specOf(
  kind: ControllerKind,
  options: { stateDir?: string | undefined; namespace?: string | undefined },
): ControllerSpec {
  if (kind === 'local') return { kind, stateDir: options.stateDir };
  if (kind === 'kubernetes') return { kind, namespace: options.namespace };
  return { kind };
}

/** Runs cleanup on each requested controller kind; an unreachable control plane is reported, not fatal. */
export async function cleanupAll(
  kinds: readonly ControllerKind[],
  options: {
    studyId?: string | undefined;
    stateDir?: string | undefined;
    namespace?: string | undefined;
    signal?: AbortSignal;
  },
): Promise<CleanupReport[]> {
  const reports: CleanupReport[] = [];
  for (const kind of kinds) {
    try {
      const controller = createController(specOf(kind, options));
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

/** `autotune cleanup`: cleans each controller kind and prints what was removed; returns the exit code. */
export async function cleanupCommand(
  kinds: readonly ControllerKind[],
  options: {
    studyId?: string | undefined;
    stateDir?: string | undefined;
    namespace?: string | undefined;
    json: boolean;
  },
): Promise<number> {
  const reports = await cleanupAll(kinds, options);
  if (options.json) process.stdout.write(`${JSON.stringify(reports)}\n`);
  else
    for (const r of reports)
      process.stdout.write(
        r.skipped
          ? `${r.kind}: skipped (${r.skipped})\n`
          : `${r.kind}: removed ${r.removed.length}${r.removed.length ? `: ${r.removed.join(', ')}` : ''}\n`,
      );
  return EXIT.ok;
}
