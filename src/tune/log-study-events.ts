// What an operator reads in the log of a study: launches and readiness at debug, failures at warn, the rest at info.
import type { LogSink } from '../util/logger.js';
import type { StudyEvent } from './events.js';

/** The part of a pino logger a study writes to (any pino-compatible logger fits). */
export type StudyLogger = LogSink;

/** Writes one study event to the logger; success paths stay below `info` except the study's start and end. */
export function logStudyEvent(logger: StudyLogger, event: StudyEvent): void {
  switch (event.type) {
    case 'study-started':
      logger.info(
        { studyId: event.studyId, journal: event.journalPath, resumedTrials: event.resumedTrials },
        'study started',
      );
      return;
    case 'trial-started':
      logger.debug(
        { trial: event.trial, phase: event.phase, gpus: event.gpus, params: event.params },
        'launching trial',
      );
      return;
    case 'trial-ready':
      logger.debug(
        { trial: event.trial, endpoint: event.endpoint, startupMs: event.startupMs },
        'trial ready',
      );
      return;
    case 'trial-finished':
      if (event.record.state === 'pruned')
        logger.debug({ trial: event.trial }, 'trial pruned: its SLO was lost beyond doubt');
      else logger.debug({ trial: event.trial, feasible: event.record.feasible }, 'trial finished');
      return;
    case 'trial-failed': {
      const { state, failure } = event.record;
      logger.warn(
        { trial: event.trial, state, reason: failure?.reason, exitCode: failure?.exitCode },
        `trial ${event.trial} ${state}: ${failure?.message ?? 'no reason recorded'}`,
      );
      return;
    }
    case 'study-finished':
      logger.info(
        { reason: event.reason, trials: event.trials, bestTrial: event.bestTrial },
        'study finished',
      );
      return;
    default:
      return;
  }
}
