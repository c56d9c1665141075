// Events a study publishes while it runs (also an AsyncIterable on the study object).
import type { SuggestionOrigin } from '../search/strategy.js';
import type { TrialRecord } from './trial-record.js';

/** Every event of a study, discriminated by `type`. */
export type StudyEvent =
  | { type: 'study-started'; studyId: string; journalPath: string; resumedTrials: number; maxTrials: number }
  | {
      type: 'trial-started';
      trial: number;
      phase: 'baseline' | 'search' | 'confirm';
      params: Record<string, unknown>;
      gpus: number[];
      /** Cluster node the trial was placed on (Kubernetes with a per-node pool). */
      node?: string;
      /** Why the strategy suggested it (search trials of strategies that say). */
      origin?: SuggestionOrigin;
    }
  | {
      /** Trials wait for GPUs that other processes on the host hold (told once per wait). */
      type: 'gpus-held-elsewhere';
      holders: Array<{
        gpu: number;
        uuid: string;
        pid: number;
        studyId?: string | undefined;
        leasedAt: string;
      }>;
    }
  | { type: 'trial-ready'; trial: number; endpoint: string; startupMs: number }
  | {
      type: 'benchmark-progress';
      trial: number;
      requestsDone: number;
      requestsPlanned: number;
      level?: number;
    }
  | { type: 'trial-finished'; trial: number; record: TrialRecord }
  | { type: 'trial-failed'; trial: number; record: TrialRecord }
  | { type: 'best-improved'; trial: number; objective: number[]; params: Record<string, unknown> }
  | { type: 'study-stopping'; reason: string }
  | { type: 'study-finished'; reason: string; trials: number; bestTrial: number | undefined };
