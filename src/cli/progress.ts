// Live study progress: a progress bar on a TTY, plain lines otherwise, JSON lines with --json.

import cliProgress from 'cli-progress';
import type { SloSpec } from '../slo/types.js';
import type { StudyEvent } from '../tune/events.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { isNotLaunched } from '../tune/trial-record.js';
import { pruneReason } from './prune-reason.js';

/** Renders study events for a person or a machine. */
export interface ProgressView {
  onEvent(event: StudyEvent): void;
  stop(): void;
}

function formatObjective(values: readonly number[] | undefined): string {
  if (!values || values.length === 0) return '-';
  return values.map((v) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4))).join(' / ');
}

function heldText(
  holders: ReadonlyArray<{ gpu: number; pid: number; studyId?: string | undefined }>,
): string {
  return holders
    .map((h) => `GPU ${h.gpu} (pid ${h.pid}${h.studyId ? `, study ${h.studyId}` : ''})`)
    .join(', ');
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** One JSON object per event on the stream. */
export function jsonView(out: NodeJS.WritableStream): ProgressView {
  return {
    onEvent: (event) => out.write(`${JSON.stringify(event)}\n`),
    stop: () => undefined,
  };
}

// What became of a finished trial, in a few words.
function outcome(r: TrialRecord, slo: SloSpec | undefined): string {
  if (r.state === 'complete')
    return `${r.feasible ? 'feasible' : 'infeasible'}, objective ${formatObjective(r.objective)}`;
  if (r.state === 'pruned') return `pruned: ${pruneReason(r, slo)}`;
  const reason = r.failure?.reason ?? r.failureReason;
  const message = r.failure?.message.split('\n')[0];
  return `${r.state}${reason ? ` (${reason})` : ''}${message ? `: ${message}` : ''}`;
}

/**
 * Plain lines (for logs and pipes). Search trials read `trial <number> (<k>/<budget>)`, k counting the
 * search trials finished so far that count against the budget, the journal's included (a configuration refused
 * before launch reads `not launched` and is not counted): trial numbers also count the baseline and the
 * confirmation runs, so after a resume they run past the budget.
 */
export function lineView(out: NodeJS.WritableStream, slo?: SloSpec): ProgressView {
  let maxTrials = 0;
  let searchDone = 0;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'study-started':
          maxTrials = event.maxTrials;
          searchDone = event.resumedTrials;
          out.write(
            `study ${event.studyId}: up to ${event.maxTrials} trials, journal ${event.journalPath}${event.resumedTrials ? ` (resumed ${event.resumedTrials})` : ''}\n`,
          );
          break;
        case 'trial-started':
          out.write(
            `trial ${event.trial}${event.phase === 'search' ? '' : ` (${event.phase})`} started: ${formatParams(event.params) || 'engine defaults'}\n`,
          );
          // Repairs say what they fix; the other origins (defaults, start, model) would only add noise.
          if (event.origin?.kind === 'repair' && event.origin.note) out.write(`  ${event.origin.note}\n`);
          break;
        case 'trial-finished':
        case 'trial-failed': {
          const r = event.record;
          if (r.screened) {
            out.write(
              `trial ${r.number} screened, not launched (${r.screened.kind}): ${r.screened.reason}\n`,
            );
            break;
          }
          // Refused before launch (a layout wider than the GPUs, a launch line known to fail): no budget used.
          if (isNotLaunched(r)) {
            const reason = r.failure?.reason ?? r.failureReason;
            out.write(
              `trial ${r.number} not launched (${reason}): ${r.failure?.message.split('\n')[0] ?? ''}\n`,
            );
            break;
          }
          if (r.phase === 'search') searchDone++;
          const label =
            r.phase === 'search'
              ? `trial ${r.number} (${searchDone}/${Math.max(maxTrials, searchDone)})`
              : `trial ${r.number} (${r.phase})`;
          out.write(`${label} ${outcome(r, slo)} (${(r.durationMs / 1000).toFixed(1)} s)\n`);
          // Why it did as it did, from the engine's own telemetry.
          for (const line of r.diagnosis ?? []) out.write(`  ${line}\n`);
          break;
        }
        case 'best-improved':
          out.write(`best so far: trial ${event.trial}, objective ${formatObjective(event.objective)}\n`);
          break;
        case 'gpus-held-elsewhere':
          out.write(`waiting for GPUs held by other studies: ${heldText(event.holders)}\n`);
          break;
        case 'study-stopping':
          out.write(`stopping: ${event.reason}\n`);
          break;
        case 'study-finished':
          out.write(`study finished (${event.reason}) after ${event.trials} trials\n`);
          break;
        default:
          break;
      }
    },
    stop: () => undefined,
  };
}

/** A progress bar with trial n/N, the current best and an ETA (TTY only). */
export function barView(out: NodeJS.WriteStream): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream: out,
      format: 'trials {bar} {value}/{total} | best {best} | running {running} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let running = 0;
  let best = '-';
  let done = 0;
  return {
    onEvent(event) {
      if (event.type === 'study-started') {
        bar.start(event.maxTrials, event.resumedTrials, { best, running });
        done = event.resumedTrials;
        started = true;
        return;
      }
      if (!started) return;
      if (event.type === 'trial-started') running++;
      if (event.type === 'trial-failed' && isNotLaunched(event.record)) return;
      if (event.type === 'trial-finished' || event.type === 'trial-failed') {
        running = Math.max(0, running - 1);
        if (event.record.phase === 'search') done++;
      }
      if (event.type === 'best-improved') best = formatObjective(event.objective);
      // The bar redraws on its line: the note goes on a line of its own above it.
      if (event.type === 'gpus-held-elsewhere') {
        out.write(`\nwaiting for GPUs held by other studies: ${heldText(event.holders)}\n`);
      }
      if (event.type === 'study-finished') {
        bar.update(done, { best, running: 0 });
        bar.stop();
        started = false;
        return;
      }
      bar.update(Math.min(done, bar.getTotal()), { best, running });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** Picks the view: JSON when asked, a bar on a TTY, plain lines otherwise (`slo` words pruning reasons). */
export function chooseView(options: {
  json: boolean;
  stream: NodeJS.WriteStream;
  slo?: SloSpec | undefined;
}): ProgressView {
  if (options.json) return jsonView(options.stream);
  return options.stream.isTTY ? barView(options.stream) : lineView(options.stream, options.slo);
}
