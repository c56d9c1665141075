// One error listing every problem found in a set of options, each with its path, value and expectation.
import { AutotunerError, describeValue } from '../errors.js';
import { redactValue } from '../util/redact.js';

/** One problem in user options. */
export interface OptionProblem {
  /** Dotted path, e.g. `slo.terms[0].maxMs`. */
  path: string;
  value: unknown;
  expected: string;
}

/** Options failed validation; `problems` lists every problem at once. */
export class OptionsError extends AutotunerError {
  override name = 'OptionsError';
  readonly problems: OptionProblem[];

  /** `subject` names what the options are of, for the message. */
  constructor(problems: OptionProblem[], subject = 'study options') {
    const lines = problems.map(
      (p) => `  - ${p.path || '(root)'}: got ${describeValue(redactValue(p.value))}, expected ${p.expected}`,
    );
    super(
      `Invalid ${subject} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      'ERR_INVALID_OPTION',
    );
    this.problems = problems;
  }
}
