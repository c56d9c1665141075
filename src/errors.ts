// Error hierarchy: every error this library throws is an AutotunerError with a stable `code`.

/** Options accepted by every AutotunerError constructor. */
export interface AutotunerErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

/** Base class of every error thrown by inference-autotuner; `code` is stable across releases. */
export class AutotunerError extends Error {
  override name = 'AutotunerError';
  readonly code: string;

  constructor(message: string, code = 'ERR_AUTOTUNER', options: AutotunerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Renders a user value for an error message without flooding it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A user-supplied option is missing, of the wrong type or out of range. */
export class InvalidOptionError extends AutotunerError {
  override name = 'InvalidOptionError';
  /** Dotted path of the offending option, e.g. `slo.terms[0].maxMs`. */
  readonly option: string;
  readonly value: unknown;
  /** What would have been accepted. */
  readonly expected: string;

  constructor(option: string, value: unknown, expected: string, options: AutotunerErrorOptions = {}) {
    super(
      `Invalid option ${option}: got ${describeValue(value)}, expected ${expected}`,
      'ERR_INVALID_OPTION_VALUE',
      options,
    );
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}

/** A function was called with an argument it cannot work with (a caller's mistake, not a user option). */
export class InvalidArgumentError extends AutotunerError {
  override name = 'InvalidArgumentError';
  /** Name of the offending argument, e.g. `count`. */
  readonly argument: string;
  readonly value: unknown;
  /** What would have been accepted. */
  readonly expected: string;

  constructor(argument: string, value: unknown, expected: string) {
    super(
      `Invalid argument ${argument}: got ${describeValue(value)}, expected ${expected}`,
      'ERR_INVALID_ARGUMENT',
    );
    this.argument = argument;
    this.value = value;
    this.expected = expected;
  }
}

/** An invariant of this library broke (a bug or a broken installation, not the caller's input). */
export class InternalError extends AutotunerError {
  override name = 'InternalError';

  constructor(message: string, options: AutotunerErrorOptions = {}) {
    super(message, 'ERR_INTERNAL', options);
  }
}

/** Something that is not an AutotunerError was thrown (a foreign error or a non-Error value); `cause` holds it. */
export class UnexpectedError extends AutotunerError {
  override name = 'UnexpectedError';

  constructor(message: string, options: AutotunerErrorOptions = {}) {
    super(message, 'ERR_UNEXPECTED', options);
  }
}

/** The message of anything thrown: an Error's own message, otherwise a short rendering of the value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return `non-error value thrown: ${describeValue(error)}`;
}

/** Returns an AutotunerError unchanged; wraps anything else (foreign error or non-Error value) as its cause. */
export function toAutotunerError(error: unknown): AutotunerError {
  if (error instanceof AutotunerError) return error;
  return new UnexpectedError(errorMessage(error), { cause: error });
}

/** A candidate engine configuration breaks a rule (parallelism, registry, constraint). */
export class InvalidParameterError extends AutotunerError {
  override name = 'InvalidParameterError';
  /** The parameters involved and their values. */
  readonly parameters: Record<string, unknown>;

  constructor(message: string, parameters: Record<string, unknown>, options: AutotunerErrorOptions = {}) {
    super(message, 'ERR_INVALID_PARAMETER', options);
    this.parameters = parameters;
  }
}

/** A search space is too large to enumerate as a grid. */
export class SpaceTooLargeError extends AutotunerError {
  override name = 'SpaceTooLargeError';
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number) {
    super(
      `Grid would have ${Number.isFinite(size) ? size.toLocaleString('en-US') : 'infinitely many'} points, over the limit of ${limit.toLocaleString('en-US')}; add steps, narrow ranges or use a model-based strategy`,
      'ERR_SPACE_TOO_LARGE',
    );
    this.size = size;
    this.limit = limit;
  }
}

/** A GPU request can never be satisfied by the pool. */
export class PoolCapacityError extends AutotunerError {
  override name = 'PoolCapacityError';
  readonly requested: number;
  readonly capacity: number;

  constructor(requested: number, capacity: number) {
    super(`Requested ${requested} GPUs but the pool only has ${capacity}`, 'ERR_POOL_CAPACITY');
    this.requested = requested;
    this.capacity = capacity;
  }
}

/**
 * A cluster cannot place a server: its scheduler reports the pod Unschedulable, or no node has the GPUs it needs.
 * Capacity, not a bad configuration: the request may fit later (`permanent` false) or never on this cluster.
 */
export class ClusterCapacityError extends PoolCapacityError {
  override name = 'ClusterCapacityError';
  override readonly code = 'ERR_CLUSTER_CAPACITY';
  /** Extended resource requested, e.g. `nvidia.com/gpu`. */
  readonly resource: string;
  /** True when no node could ever hold the request (it needs more than the largest node has). */
  readonly permanent: boolean;
  /** Name of the node with the most of `resource`, when the nodes could be read. */
  readonly largestNode: string | undefined;

  /** `capacity` is the largest node's allocatable `resource` (NaN when the nodes could not be read). */
  constructor(
    message: string,
    details: {
      requested: number;
      capacity: number;
      resource: string;
      permanent: boolean;
      largestNode?: string;
    },
  ) {
    super(details.requested, details.capacity);
    this.message = message;
    this.resource = details.resource;
    this.permanent = details.permanent;
    this.largestNode = details.largestNode;
  }
}

/** The engine did not become ready within the allowed time. */
export class ReadinessTimeoutError extends AutotunerError {
  override name = 'ReadinessTimeoutError';
  readonly timeoutMs: number;
  readonly logTail: string;

  constructor(timeoutMs: number, logTail: string, detail = '', options: AutotunerErrorOptions = {}) {
    super(
      `Server not ready after ${timeoutMs} ms${detail ? ` (${detail})` : ''}${logTail ? `\n--- log tail ---\n${logTail}` : ''}`,
      'ERR_READINESS_TIMEOUT',
      options,
    );
    this.timeoutMs = timeoutMs;
    this.logTail = logTail;
  }
}

/** The engine process, container or pod exited before or while serving. */
export class ServerExitedError extends AutotunerError {
  override name = 'ServerExitedError';
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly logTail: string;

  constructor(exitCode: number | null, logTail: string, signal: string | null = null) {
    super(
      `Server exited ${signal ? `on signal ${signal}` : `with code ${exitCode}`}${logTail ? `\n--- log tail ---\n${logTail}` : ''}`,
      'ERR_SERVER_EXITED',
    );
    this.exitCode = exitCode;
    this.signal = signal;
    this.logTail = logTail;
  }
}

/** The engine could not be launched at all (missing binary, image, API refusal). */
export class LaunchError extends AutotunerError {
  override name = 'LaunchError';

  constructor(message: string, options: AutotunerErrorOptions = {}) {
    super(message, 'ERR_LAUNCH', options);
  }
}

/** A control-plane call (Docker API, Kubernetes API) failed. */
export class ControlPlaneError extends AutotunerError {
  override name = 'ControlPlaneError';
  /** HTTP status of the control-plane answer, when there was one. */
  readonly statusCode: number | undefined;
  readonly transient: boolean;

  constructor(
    message: string,
    statusCode: number | undefined,
    transient: boolean,
    options: AutotunerErrorOptions = {},
  ) {
    super(message, 'ERR_CONTROL_PLANE', options);
    this.statusCode = statusCode;
    this.transient = transient;
  }
}

/** A benchmark run could not produce a result (not a single failed request: those are records). */
export class BenchmarkError extends AutotunerError {
  override name = 'BenchmarkError';

  constructor(message: string, options: AutotunerErrorOptions = {}) {
    super(message, 'ERR_BENCHMARK', options);
  }
}

/** A study journal cannot be used: base class of the journal errors below, each with its own code. */
export class JournalError extends AutotunerError {
  override name = 'JournalError';

  constructor(message: string, options: AutotunerErrorOptions = {}) {
    super(message, 'ERR_JOURNAL', options);
  }
}

/** A new study would overwrite an existing journal. */
export class JournalExistsError extends JournalError {
  override name = 'JournalExistsError';
  override readonly code = 'ERR_JOURNAL_EXISTS';
  readonly path: string;

  constructor(path: string, options: AutotunerErrorOptions = {}) {
    super(
      `Journal ${path} already exists: resume it (autotune resume / { resume: true }) or choose another journal path`,
      options,
    );
    this.path = path;
  }
}

const shownValue = (value: unknown): string => (value === undefined ? 'not set' : describeValue(value));

/** One option that differs between a journal's study and the one resuming it (values redacted). */
export interface OptionDifference {
  /** Dotted path, e.g. `space.max-num-seqs` or `sim.timeScale`. */
  path: string;
  /** The value the journal was written with (undefined: not set). */
  journal: unknown;
  /** The value of the options resuming it (undefined: not set). */
  options: unknown;
}

/** A journal was written by study options that differ from the ones resuming it. */
export class JournalMismatchError extends JournalError {
  override name = 'JournalMismatchError';
  override readonly code = 'ERR_JOURNAL_MISMATCH';
  readonly path: string;
  /** The options that differ, when known. */
  readonly differences: readonly OptionDifference[];

  constructor(path: string, differences: readonly OptionDifference[] = []) {
    const listed = differences
      .slice(0, 8)
      .map((d) => `${d.path}: journal ${shownValue(d.journal)}, now ${shownValue(d.options)}`);
    if (differences.length > listed.length) listed.push(`and ${differences.length - listed.length} more`);
    super(
      `Journal ${path} was written by study options that differ from these (${listed.length > 0 ? listed.join('; ') : 'model, space, strategy, workload, load, SLO, objective, seed, ...'}); resume with the same options or start a new journal`,
    );
    this.path = path;
    this.differences = differences;
  }
}

/** A journal line is truncated, garbled, of an unknown format version or not a journal line at all. */
export class JournalFormatError extends JournalError {
  override name = 'JournalFormatError';
  override readonly code = 'ERR_JOURNAL_FORMAT';
  readonly path: string;
  /** 1-based line number of the offending line. */
  readonly line: number;
  /** What is wrong with the line. */
  readonly problem: string;

  constructor(path: string, line: number, problem: string, options: AutotunerErrorOptions = {}) {
    super(`Journal ${path} line ${line}: ${problem}`, options);
    this.path = path;
    this.line = line;
    this.problem = problem;
  }
}

/** A journal file cannot be read (file system error). */
export class JournalReadError extends JournalError {
  override name = 'JournalReadError';
  override readonly code = 'ERR_JOURNAL_READ';
  readonly path: string;

  constructor(path: string, options: AutotunerErrorOptions = {}) {
    super(`Cannot read journal ${path}${causeText(options.cause)}`, options);
    this.path = path;
  }
}

/** A journal file cannot be created, rewritten or appended to (file system error). */
export class JournalWriteError extends JournalError {
  override name = 'JournalWriteError';
  override readonly code = 'ERR_JOURNAL_WRITE';
  readonly path: string;

  constructor(path: string, options: AutotunerErrorOptions = {}) {
    super(`Cannot write journal ${path}${causeText(options.cause)}`, options);
    this.path = path;
  }
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : '';
}

/** A resumed study needs a secret the journal does not keep (journals store secrets redacted). */
export class MissingSecretError extends JournalError {
  override name = 'MissingSecretError';
  override readonly code = 'ERR_MISSING_SECRET';
  /** Option path of the secret, e.g. `env.OPENAI_API_KEY` or `hfToken`. */
  readonly option: string;
  /** Environment variable the secret can come from, when there is one. */
  readonly variable: string | undefined;

  constructor(option: string, variable: string | undefined) {
    super(
      variable
        ? `${option} is a secret the journal does not keep: set ${variable} in the environment or pass the study file`
        : `${option} is redacted in the journal: pass the study file`,
    );
    this.option = option;
    this.variable = variable;
  }
}

/** A model's `config.json` cannot describe it to the performance model: unreadable, unknown architecture, bad field. */
export class ModelConfigError extends AutotunerError {
  override name = 'ModelConfigError';
  /** The config.json (or the folder or repository id looked up). */
  readonly file: string;
  /** The offending field, e.g. `num_key_value_heads`; undefined when the file itself is the problem. */
  readonly field: string | undefined;
  readonly value: unknown;
  /** What is wrong. */
  readonly problem: string;

  constructor(
    file: string,
    field: string | undefined,
    value: unknown,
    problem: string,
    options: AutotunerErrorOptions = {},
  ) {
    super(
      `Model config ${file}: ${field === undefined ? problem : `field ${field} ${problem} (got ${describeValue(value)})`}`,
      'ERR_MODEL_CONFIG',
      options,
    );
    this.file = file;
    this.field = field;
    this.value = value;
    this.problem = problem;
  }
}

/** One problem in a component's options: the option's path, the bad value and what would be accepted. */
export interface OptionProblemInfo {
  option: string;
  value: unknown;
  expected: string;
}

/**
 * Several options of one component (e.g. a controller) at once; `problems` lists each, and the first one is
 * also this error's `option`, `value` and `expected`.
 */
export class InvalidOptionsError extends InvalidOptionError {
  override name = 'InvalidOptionsError';
  override readonly code: string = 'ERR_INVALID_OPTIONS';
  readonly problems: OptionProblemInfo[];

  constructor(component: string, problems: OptionProblemInfo[], options: AutotunerErrorOptions = {}) {
    const first = problems[0] ?? { option: '(root)', value: undefined, expected: 'valid options' };
    super(first.option, first.value, first.expected, options);
    this.message = `Invalid ${component} options (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
      .map((p) => `  - ${p.option}: got ${describeValue(p.value)}, expected ${p.expected}`)
      .join('\n')}`;
    this.problems = problems;
  }
}
