// What an operator reads in the log of a study: its start, each finished (or pruned) trial and its end at info,
// failed trials at warn, launches and readiness at debug. Each message reads on its own; the fields repeat it for machines.
import type { LogSink } from '../util/logger.js';
import type { StudyEvent } from './events.js';
import type { TrialRecord } from './trial-record.js';

/** The part of a pino logger a study writes to (any pino-compatible logger fits). */
export type StudyLogger = LogSink;

function objectiveText(values: readonly number[] | undefined): string {
  if (!values || values.length === 0) return '-';
  return values.map((v) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4))).join(' / ');
}

function finishedText(record: TrialRecord): string {
  const took = `in ${(record.durationMs / 1000).toFixed(1)} s`;
  if (record.state === 'pruned') return `pruned (its SLO was lost beyond doubt) ${took}`;
  const clientBound = record.clientLimited?.length
    ? ' (client-bound: the benchmark client set the pace)'
    : '';
  const why = record.diagnosis?.length ? `; ${record.diagnosis.join('; ')}` : '';
  return `${record.feasible ? 'feasible' : 'infeasible'}, objective ${objectiveText(record.objective)} ${took}${clientBound}${why}`;
}

/** Writes one study event to the logger. */
export function logStudyEvent(logger: StudyLogger, event: StudyEvent): void {
  switch (event.type) {
    case 'study-started':
      logger.info(
        {
          studyId: event.studyId,
          journal: event.journalPath,
          resumedTrials: event.resumedTrials,
          maxTrials: event.maxTrials,
        },
        `study ${event.studyId} started: up to ${event.maxTrials} search trials${event.resumedTrials ? ` (${event.resumedTrials} from the journal)` : ''}, journal ${event.journalPath}`,
      );
      return;
    case 'trial-started':
      logger.debug(
        { trial: event.trial, phase: event.phase, gpus: event.gpus, params: event.params },
        `trial ${event.trial} (${event.phase}) launching`,
      );
      return;
    case 'trial-ready':
      logger.debug(
        { trial: event.trial, endpoint: event.endpoint, startupMs: event.startupMs },
        `trial ${event.trial} ready at ${event.endpoint}`,
      );
      return;
    case 'trial-finished': {
      const { record } = event;
      const fields = {
        trial: event.trial,
        phase: record.phase,
        state: record.state,
        feasible: record.feasible,
        ...(record.diagnosis?.length ? { diagnosis: record.diagnosis } : {}),
      };
      logger.info(fields, `trial ${event.trial} (${record.phase}) ${finishedText(record)}`);
      return;
    }
    case 'trial-failed': {
      const { state, failure, screened } = event.record;
      if (screened) {
        // Screening is the study working as meant: said once, not warned about.
        logger.info(
          { trial: event.trial, state, reason: 'screened', kind: screened.kind },
          `trial ${event.trial} screened, not launched (${screened.kind}): ${screened.reason}`,
        );
        return;
      }
      if (event.record.failureReason === 'known-failure') {
        logger.info(
          { trial: event.trial, state, reason: 'known-failure' },
          `trial ${event.trial} ${failure?.message}`,
        );
        return;
      }
      const reason = failure?.reason ?? event.record.failureReason;
      logger.warn(
        { trial: event.trial, state, reason, exitCode: failure?.exitCode },
        `trial ${event.trial} ${state}${reason ? ` (${reason})` : ''}: ${failure?.message ?? 'no reason recorded'}`,
      );
      return;
    }
    case 'gpus-held-elsewhere':
      logger.warn(
        { holders: event.holders },
        `waiting for GPUs that other studies hold: ${event.holders.map((h) => `GPU ${h.gpu} (pid ${h.pid}${h.studyId ? `, study ${h.studyId}` : ''})`).join(', ')}`,
      );
      return;
    case 'study-finished':
      logger.info(
        { reason: event.reason, trials: event.trials, bestTrial: event.bestTrial },
        `study finished (${event.reason}) after ${event.trials} trials${event.bestTrial === undefined ? ', no configuration met the SLO' : `, best trial ${event.bestTrial}`}`,
      );
      return;
    default:
      return;
  }
}
