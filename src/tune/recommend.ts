// The recommendation of a study: the best tuned configuration, unless it does not beat the engine defaults
// beyond noise; with the caveats a reader must see (runs paced by the benchmark client, single runs).
import { compareTrials } from '../slo/compare-trials.js';
import { type Confirmation, meanOf } from './confirm.js';
import { compareWithDefaults } from './defaults-comparison.js';
import type { DefaultsComparison } from './result.js';
import type { TrialRecord } from './trial-record.js';

/** What a study recommends, before exports are attached. */
export interface Recommendation {
  /** The recommended trial: the tuned winner's search trial, or the baseline trial when keeping the defaults. */
  record: TrialRecord | undefined;
  /** The best tuned configuration (confirmed winner, else the best feasible search trial). */
  tuned: TrialRecord | undefined;
  comparison: DefaultsComparison | undefined;
  /** Mean of the first objective over the recommended configuration's feasible runs, when it was re-measured. */
  confirmedMean: number | undefined;
  caveats: string[];
}

const runsOf = (history: readonly TrialRecord[], trial: TrialRecord) => [
  trial,
  ...history.filter((t) => t.phase === 'confirm' && t.confirmOf === trial.number),
];

// `k of n runs of <who> were paced by the benchmark client (<first reason>)`, or undefined when none were.
function clientLimitedText(runs: readonly TrialRecord[], who: string): string | undefined {
  const limited = runs.filter((t) => (t.clientLimited?.length ?? 0) > 0);
  if (limited.length === 0) return undefined;
  const why = limited[0]?.clientLimited?.[0];
  return `${limited.length} of ${runs.length} runs of ${who} (${limited.map((t) => `#${t.number}`).join(', ')}) were paced by the benchmark client, not the server${why ? ` (${why})` : ''}`;
}

function caveatsOf(
  history: readonly TrialRecord[],
  record: TrialRecord,
  other: TrialRecord | undefined,
  comparison: DefaultsComparison | undefined,
): string[] {
  const label = (t: TrialRecord) => (t.phase === 'baseline' ? 'the engine defaults' : `trial ${t.number}`);
  const caveats: string[] = [];
  const own = clientLimitedText(runsOf(history, record), label(record));
  if (own) caveats.push(`${own}: its figures may understate the server.`);
  const theirs = other && clientLimitedText(runsOf(history, other), label(other));
  if (theirs) caveats.push(`${theirs}: the comparison with them may be distorted.`);
  if (runsOf(history, record).some((t) => t.via === 'port-forward'))
    caveats.push(
      `${label(record) === 'the engine defaults' ? 'The engine defaults were' : `Trial ${record.number} was`} measured through a Kubernetes API-server port-forward: every request crossed the API server and the kubelet, which adds latency to each TTFT and ITL sample and caps throughput, so its figures are worse than the server's own; run the tuner inside the cluster (endpointMode: service) for numbers close to the server.`,
    );
  // Keeping the defaults on single runs changes nothing; recommending a change on them deserves the warning.
  if (comparison?.verdict === 'unconfirmed' && record.phase !== 'baseline')
    caveats.push(
      'Unconfirmed: the gain over the engine defaults rests on single runs and may be noise; with confirm.repeats of 2 or more the study re-measures the winner and the defaults side by side.',
    );
  return caveats;
}

/** Chooses what the study recommends from its trials and, when confirmation ran, its summary. */
export function recommend(
  history: readonly TrialRecord[],
  confirmation: Confirmation | undefined,
  direction: 'minimize' | 'maximize',
  objectiveName: string,
): Recommendation {
  const search = history.filter((t) => t.phase === 'search');
  const winner = confirmation?.winner;
  const tuned =
    (winner !== undefined ? search.find((t) => t.number === winner) : undefined) ??
    [...search].sort(compareTrials).find((t) => t.feasible);
  const comparison = compareWithDefaults(history, tuned, direction, objectiveName);
  const baseline = history.find((t) => t.phase === 'baseline');
  const record = comparison?.keepDefaults ? baseline : tuned;
  if (!record) return { record, tuned, comparison, confirmedMean: undefined, caveats: [] };
  const other = record === tuned ? comparison && baseline : tuned;
  const reMeasured = runsOf(history, record);
  const values = reMeasured
    .filter((t) => t.feasible)
    .map((t) => t.objective?.[0])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const confirmedMean = reMeasured.length > 1 ? meanOf(values) : undefined;
  return { record, tuned, comparison, confirmedMean, caveats: caveatsOf(history, record, other, comparison) };
}
