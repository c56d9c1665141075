#!/usr/bin/env node
// autotune: command-line front of the library (thin: parse arguments, call the library, print).
import { parseArgs } from 'node:util';
import { CONTROLLER_KINDS, type ControllerKind } from '../controllers/controller-spec.js';
import {
  AutotunerError,
  errorMessage,
  InvalidOptionError,
  JournalFormatError,
  MissingSecretError,
} from '../errors.js';
import { ENGINE_FLAVORS } from '../parallelism/engine-flavor.js';
import { OptionsError } from '../tune/options-error.js';
import { cleanupAll } from './commands/cleanup.js';
import { estimateConfiguration, estimateText, parseSettings } from './commands/estimate.js';
import { reportCommand } from './commands/report.js';
import { type RunFlags, resumeCommand, runStudyCommand } from './commands/run.js';
import { journalStatus, statusText } from './commands/status.js';
import { EXIT } from './exit-codes.js';
import { readStudyFile } from './study-file.js';

const USAGE = `Usage: autotune <command> [options]

Commands:
  run <study.yaml>               run a study (YAML or JSON options)
      --journal <path>           journal file (default .autotune/<study>.jsonl)
      --max-trials <n>           override budget.maxTrials
      --resume                   continue the journal if it exists
      --estimate                 score the simulator's analytic estimate instead of launching (runtime sim)
      --dry-run                  validate and print the plan; launch nothing
      --json                     events and result as JSON lines on stdout
  resume <journal> [study.yaml]  continue an interrupted study (options from the file or the journal)
  status <journal> [--json]      summarise a journal
  report <journal> [--out file] [--format html|markdown]
                                 render the study report (HTML by default)
  cleanup [--study <id>] [--controller local,docker,kubernetes] [--state-dir <dir>] [--namespace <ns>]
                                 remove servers, containers and pods left behind
  estimate --model <name> [--gpu h100] [--engine vllm] [--set key=value ...]
           [--input-tokens 512] [--output-tokens 128] [--concurrency 16 | --rate <req/s>] [--json]
                                 the simulator's analytic prediction for one configuration

Exit codes: 0 ok, 1 error, 2 invalid options or usage (also an unreadable journal or a secret to set),
3 study finished without a feasible configuration, 130 interrupted (the journal can be resumed).
`;

// The command line itself is wrong (unknown command, bad flag value); exits with the usage text.
class UsageError extends AutotunerError {
  override name = 'UsageError';

  constructor(message: string) {
    super(message, 'ERR_USAGE');
  }
}

function intFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name} needs a positive integer, got "${value}"`);
  return n;
}

function numberFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} needs a positive number, got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  const runOptions = {
    journal: { type: 'string' },
    'max-trials': { type: 'string' },
    resume: { type: 'boolean', default: false },
    estimate: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  } as const;
  switch (command) {
    case 'run':
    case 'resume': {
      const { values, positionals } = parseArgs({ args: rest, options: runOptions, allowPositionals: true });
      const flags: RunFlags = {
        journal: values.journal,
        maxTrials: intFlag(values['max-trials'], 'max-trials'),
        json: values.json,
        dryRun: values['dry-run'],
        estimate: values.estimate,
        resume: values.resume,
      };
      if (command === 'run') {
        if (positionals.length !== 1) throw new UsageError('run needs exactly one study file');
        return runStudyCommand(await readStudyFile(positionals[0] as string), flags);
      }
      if (positionals.length < 1 || positionals.length > 2)
        throw new UsageError('resume needs a journal and optionally the study file');
      return resumeCommand(positionals[0] as string, positionals[1], flags);
    }
    case 'status': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean', default: false } },
        allowPositionals: true,
      });
      if (positionals.length !== 1) throw new UsageError('status needs a journal');
      const status = await journalStatus(positionals[0] as string);
      process.stdout.write(values.json ? `${JSON.stringify(status)}\n` : statusText(status));
      return EXIT.ok;
    }
    case 'report': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { out: { type: 'string' }, format: { type: 'string', default: 'html' } },
        allowPositionals: true,
      });
      if (positionals.length !== 1) throw new UsageError('report needs a journal');
      if (values.format !== 'html' && values.format !== 'markdown')
        throw new UsageError(`--format must be html or markdown, got "${values.format}"`);
      return reportCommand(positionals[0] as string, { out: values.out, format: values.format });
    }
    case 'cleanup': {
      const { values } = parseArgs({
        args: rest,
        options: {
          study: { type: 'string' },
          controller: { type: 'string', default: 'local,docker,kubernetes' },
          'state-dir': { type: 'string' },
          namespace: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      });
      const kinds = values.controller.split(',').map((k) => k.trim());
      const bad = kinds.find((k) => !(CONTROLLER_KINDS as readonly string[]).includes(k));
      if (bad)
        throw new UsageError(`--controller: unknown controller "${bad}" (${CONTROLLER_KINDS.join(', ')})`);
      const reports = await cleanupAll(kinds as ControllerKind[], {
        studyId: values.study,
        stateDir: values['state-dir'],
        namespace: values.namespace,
      });
      if (values.json) process.stdout.write(`${JSON.stringify(reports)}\n`);
      else {
        for (const r of reports) {
          process.stdout.write(
            r.skipped
              ? `${r.kind}: skipped (${r.skipped})\n`
              : `${r.kind}: removed ${r.removed.length}${r.removed.length ? `: ${r.removed.join(', ')}` : ''}\n`,
          );
        }
      }
      return EXIT.ok;
    }
    case 'estimate': {
      const { values } = parseArgs({
        args: rest,
        options: {
          model: { type: 'string' },
          gpu: { type: 'string', default: 'h100' },
          engine: { type: 'string', default: 'vllm' },
          set: { type: 'string', multiple: true, default: [] },
          'input-tokens': { type: 'string', default: '512' },
          'output-tokens': { type: 'string', default: '128' },
          concurrency: { type: 'string' },
          rate: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
      });
      if (!values.model) throw new UsageError('estimate needs --model (e.g. llama-3.1-8b)');
      const engine = ENGINE_FLAVORS.find((name) => name === values.engine);
      if (!engine)
        throw new UsageError(`--engine must be one of ${ENGINE_FLAVORS.join(', ')}, got "${values.engine}"`);
      const request = {
        model: values.model,
        gpu: values.gpu,
        engine,
        params: parseSettings(values.set),
        inputTokens: intFlag(values['input-tokens'], 'input-tokens') ?? 512,
        outputTokens: intFlag(values['output-tokens'], 'output-tokens') ?? 128,
        concurrency: intFlag(values.concurrency, 'concurrency'),
        ratePerS: numberFlag(values.rate, 'rate'),
      };
      const result = estimateConfiguration(request);
      process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : estimateText(request, result));
      return result.ok ? EXIT.ok : EXIT.noFeasible;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: unknown } | null)?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      process.stderr.write(`autotune: ${errorMessage(error)}\n\n${USAGE}`);
      process.exitCode = EXIT.usage;
    } else if (
      error instanceof OptionsError ||
      error instanceof InvalidOptionError ||
      // A journal that is not one (truncated, garbled, foreign) or a secret to supply: the input is wrong.
      error instanceof JournalFormatError ||
      error instanceof MissingSecretError
    ) {
      process.stderr.write(`autotune: ${error.message}\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(`autotune: ${errorMessage(error)}\n`);
      process.exitCode = EXIT.error;
    }
  },
);
