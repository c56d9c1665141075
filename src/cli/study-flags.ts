// The flags `autotune run` and `resume` share, checked together with the study they run: a wrong flag is
// reported beside every problem of the study file in one error, not on its own before the file is read.
import { InvalidOptionError, JournalReadError } from '../errors.js';
import { type OptionProblem, OptionsError } from '../tune/options-error.js';
import type { RunFlags } from './commands/run.js';
import { LOG_LEVELS, type LogLevel } from './log-levels.js';
import { positiveFlag } from './option-parsers.js';

/** The shared flags as commander hands them over (values as typed). */
export interface StudyCommandOptions {
  journal?: string;
  maxTrials?: string;
  resume?: boolean;
  force?: boolean;
  new?: boolean;
  estimate?: boolean;
  dryRun?: boolean;
  json?: boolean;
  logLevel?: string;
}

/** The run flags of the command line, and a problem for each value a flag cannot take. */
export function studyFlags(options: StudyCommandOptions): { flags: RunFlags; problems: OptionProblem[] } {
  const problems: OptionProblem[] = [];
  const maxTrials = positiveFlag(problems, '--max-trials', options.maxTrials, true);
  let logLevel: LogLevel | undefined;
  if (options.logLevel !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(options.logLevel)) logLevel = options.logLevel as LogLevel;
    else
      problems.push({
        path: '--log-level',
        value: options.logLevel,
        expected: `one of ${LOG_LEVELS.join(', ')}`,
      });
  }
  return {
    flags: {
      journal: options.journal,
      maxTrials,
      json: options.json === true,
      dryRun: options.dryRun === true,
      estimate: options.estimate === true,
      resume: options.resume === true,
      force: options.force === true || options.new === true,
      logLevel,
    },
    problems,
  };
}

/**
 * Runs a check of the study (reading its file, checking its options) and reports the flags' problems with it:
 * the check's own option problems join them in one OptionsError. A check that passes returns its result when
 * more checks follow (`last: false`), else ends in an OptionsError of the flags. Without flag problems, the
 * check's result or error as they are.
 */
export async function withFlagProblems<T>(
  problems: readonly OptionProblem[],
  check: () => Promise<T>,
  last = true,
): Promise<T> {
  if (problems.length === 0) return check();
  let result: T;
  try {
    result = await check();
  } catch (error) {
    const subject = 'command-line flags and study options';
    if (error instanceof OptionsError) throw new OptionsError([...problems, ...error.problems], subject);
    if (error instanceof InvalidOptionError)
      throw new OptionsError(
        [...problems, { path: error.option, value: error.value, expected: error.expected }],
        subject,
      );
    // The journal a resume names on the command line, missing or unreadable.
    if (error instanceof JournalReadError)
      throw new OptionsError(
        [
          ...problems,
          { path: 'journal', value: error.path, expected: `a readable journal (${error.message})` },
        ],
        subject,
      );
    throw error;
  }
  if (last) throw new OptionsError([...problems], 'command-line flags');
  return result;
}
