// `autotune run <study.yaml>` and `autotune resume <journal> [study.yaml]`.
import { renderMarkdownSummary } from '../../report/markdown-summary.js';
import { checkStudy } from '../../tune/check-study.js';
import { describePlan } from '../../tune/describe-plan.js';
import { readJournal } from '../../tune/journal/read-journal.js';
import type { OptionProblem } from '../../tune/options-error.js';
import { screeningPlan } from '../../tune/screening.js';
import { study } from '../../tune/study.js';
import { studyIdentity } from '../../tune/study-identity.js';
import { createLogger, type Logger } from '../../util/logger.js';
import { EXIT } from '../exit-codes.js';
import type { LogLevel } from '../log-levels.js';
import { moveJournalAside } from '../move-journal-aside.js';
import { chooseView } from '../progress.js';
import { interruptSignal } from '../signals.js';
import { readStudyFile } from '../study-file.js';
import { withFlagProblems } from '../study-flags.js';

/** Flags shared by run and resume. */
export interface RunFlags {
  journal?: string | undefined;
  maxTrials?: number | undefined;
  json: boolean;
  dryRun: boolean;
  estimate: boolean;
  resume: boolean;
  /** Start over: move an existing journal aside first. */
  force?: boolean;
  /** Structured (JSON) logs on stderr from this level; without it only human lines, and only errors. */
  logLevel?: LogLevel | undefined;
}

// The study's logger: JSON lines when asked with --log-level; otherwise human lines, errors only (the progress
// view already tells each trial's fate), none at all beside --json's event stream.
function commandLogger(flags: RunFlags): Logger {
  if (flags.logLevel) return createLogger({ level: flags.logLevel, format: 'json' });
  if (flags.json) return createLogger({ level: 'silent' });
  return createLogger({ level: process.env['AUTOTUNE_LOG_LEVEL'] ?? 'error', format: 'human' });
}

/** Runs (or resumes) a study from options; prints progress and the summary; returns the exit code. */
export async function runStudyCommand(
  input: Record<string, unknown>,
  flags: RunFlags,
  flagProblems: readonly OptionProblem[] = [],
): Promise<number> {
  const options = { ...input } as Record<string, unknown>;
  if (flags.journal) options['journal'] = flags.journal;
  if (flags.maxTrials !== undefined)
    options['budget'] = { ...(options['budget'] as object), maxTrials: flags.maxTrials };
  const mode = flags.estimate ? 'estimate' : 'engine';
  // Every check a launch needs (options, files, executables, GPUs), all problems at once (the flags' too), for a
  // plan as for a run.
  const resolved = await withFlagProblems(flagProblems, () => checkStudy(options, { mode }));
  if (flags.dryRun) {
    const plan = describePlan(resolved, { screening: await screeningPlan(resolved, resolved.gpus.gpus) });
    process.stdout.write(flags.json ? `${JSON.stringify(plan.data, null, 2)}\n` : plan.text);
    return EXIT.ok;
  }
  if (flags.force) {
    const moved = await moveJournalAside(studyIdentity(resolved.options).journalPath);
    if (moved) process.stderr.write(`autotune: starting over; the previous journal is kept as ${moved}\n`);
  }
  const view = chooseView({
    json: flags.json,
    stream: flags.json ? process.stdout : process.stderr,
    slo: resolved.slo,
  });
  const interrupt = interruptSignal((name) =>
    process.stderr.write(`\n${name}: stopping after tearing down running trials (press again to force)\n`),
  );
  try {
    const running = study(resolved, {
      signal: interrupt.signal,
      resume: flags.resume,
      mode,
      logger: commandLogger(flags),
    });
    const events = (async () => {
      for await (const event of running) view.onEvent(event);
    })();
    try {
      const result = await running.result;
      await events;
      view.stop();
      if (flags.json)
        process.stdout.write(
          `${JSON.stringify({ type: 'result', ...result, trials: result.trials.length })}\n`,
        );
      else
        process.stdout.write(
          `\n${renderMarkdownSummary(await readJournal(result.journalPath))}\nJournal: ${result.journalPath}\n`,
        );
      return result.best ? EXIT.ok : EXIT.noFeasible;
    } catch (error) {
      await events.catch(() => undefined);
      view.stop();
      if (interrupt.signal.aborted) {
        process.stderr.write(`interrupted; resume with: autotune resume ${running.journalPath}\n`);
        return EXIT.interrupted;
      }
      throw error;
    }
  } finally {
    interrupt.dispose();
  }
}

/** `autotune resume <journal> [study.yaml]`: options from the file, else from the journal header. */
export async function resumeCommand(
  journalPath: string,
  studyFile: string | undefined,
  flags: RunFlags,
  flagProblems: readonly OptionProblem[] = [],
): Promise<number> {
  const options = await withFlagProblems(
    flagProblems,
    async () =>
      studyFile
        ? await readStudyFile(studyFile)
        : ((await readJournal(journalPath)).header.options as Record<string, unknown>),
    false,
  );
  // Secrets are redacted in the journal: the study takes them from the environment (restoreSecrets).
  return runStudyCommand(
    options,
    { ...flags, journal: journalPath, resume: true, force: false },
    flagProblems,
  );
}
