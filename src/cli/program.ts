// The autotune command line: commands, their options, help and version (commander). Each action hands its exit
// code to `done`; usage mistakes throw commander's errors, which the entry point turns into exit code 2. Actions
// load their command (and with it the library) only when they run, so help and usage errors answer at once.
import { Command, InvalidArgumentError, Option } from 'commander';
import { CONTROLLER_KINDS, type ControllerKind } from '../controllers/controller-spec.js';
import { ENGINE_FLAVORS } from '../parallelism/engine-flavor.js';
import { LOG_LEVELS } from './log-levels.js';
import { collect } from './option-parsers.js';
import type { StudyCommandOptions } from './study-flags.js';

const EXIT_CODES_HELP = `
Exit codes: 0 done (a study found a configuration meeting its SLO), 1 error, 2 invalid options or usage (also
an unreadable journal, an existing journal, or a secret to set), 3 the study finished without a configuration
meeting the SLO, 130 interrupted (the journal can be resumed).`;

function controllerKinds(value: string): ControllerKind[] {
  const kinds = value.split(',').map((k) => k.trim());
  const bad = kinds.find((k) => !(CONTROLLER_KINDS as readonly string[]).includes(k));
  if (bad !== undefined)
    throw new InvalidArgumentError(`unknown controller "${bad}" (expected ${CONTROLLER_KINDS.join(', ')})`);
  return kinds as ControllerKind[];
}

// The options run and resume share.
function addStudyOptions(command: Command): Command {
  return command
    .option(
      '--max-trials <n>',
      'search trials in total, journaled ones included (overrides budget.maxTrials)',
    )
    .option('--estimate', "score the simulator's analytic estimate instead of launching (runtime sim)")
    .option('--dry-run', 'validate and print the plan; launch nothing')
    .option('--json', 'events and the result as JSON lines on stdout (no logs unless --log-level)')
    .option(
      '--log-level <level>',
      `structured (JSON) logs on stderr from this level on (${LOG_LEVELS.join(', ')})`,
    );
}

/** Builds the `autotune` program; `done` receives the exit code of the command that ran. */
export function buildProgram(version: string, done: (code: number) => void): Command {
  const program = new Command('autotune')
    .description('Finds the best serving flags of an LLM inference engine for a workload and its SLOs.')
    .version(version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .helpCommand('help [command]', 'print the help of a command')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`autotune: ${text}`) })
    .showHelpAfterError('(autotune <command> --help prints the usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  addStudyOptions(
    program
      .command('run')
      .description('run a study from a file (YAML or JSON, the same options as tune())')
      .argument('<study>', 'study file')
      .option('--journal <path>', 'journal file (default .autotune/<study name>.jsonl)')
      .addOption(new Option('--resume', 'continue the journal if it exists').conflicts(['force', 'new']))
      .option('--force', 'start over: move an existing journal aside to <journal>.<time>.bak first')
      .addOption(new Option('--new', 'same as --force').conflicts('resume')),
  ).action(async (file: string, options: StudyCommandOptions) => {
    const { runStudyCommand } = await import('./commands/run.js');
    const { readStudyFile } = await import('./study-file.js');
    const { studyFlags, withFlagProblems } = await import('./study-flags.js');
    const { flags, problems } = studyFlags(options);
    const input = await withFlagProblems(problems, () => readStudyFile(file), false);
    done(await runStudyCommand(input, flags, problems));
  });

  addStudyOptions(
    program
      .command('resume')
      .description('continue an interrupted study (options from the study file, else from the journal)')
      .argument('<journal>', 'journal of the study')
      .argument('[study]', 'study file with the same options (secrets then come from it)'),
  ).action(async (journal: string, file: string | undefined, options: StudyCommandOptions) => {
    const { resumeCommand } = await import('./commands/run.js');
    const { studyFlags } = await import('./study-flags.js');
    const { flags, problems } = studyFlags(options);
    done(await resumeCommand(journal, file, flags, problems));
  });

  program
    .command('status')
    .description('summarise a journal (also of a study still running or killed)')
    .argument('<journal>', 'journal file')
    .option('--json', 'the summary as JSON')
    .action(async (journal: string, options: { json?: boolean }) => {
      const { statusCommand } = await import('./commands/status.js');
      done(await statusCommand(journal, { json: options.json === true }));
    });

  program
    .command('report')
    .description("render a study's report")
    .argument('<journal>', 'journal file')
    .option('--out <file>', 'write the report to this file (Markdown without --out goes to stdout)')
    .addOption(new Option('--format <format>', 'report format').choices(['html', 'markdown']).default('html'))
    .action(async (journal: string, options: { out?: string; format: 'html' | 'markdown' }) => {
      const { reportCommand } = await import('./commands/report.js');
      done(await reportCommand(journal, { out: options.out, format: options.format }));
    });

  program
    .command('cleanup')
    .description('remove servers, containers and pods this library started and left behind')
    .option('--study <id>', 'only those of this study')
    .option('--controller <kinds>', 'comma-separated controllers to clean', controllerKinds, [
      ...CONTROLLER_KINDS,
    ])
    .option('--state-dir <dir>', "the local controller's state directory")
    .option('--namespace <ns>', 'Kubernetes namespace')
    .option('--json', 'the report as JSON')
    .action(
      async (options: {
        study?: string;
        controller: ControllerKind[];
        stateDir?: string;
        namespace?: string;
        json?: boolean;
      }) => {
        const { cleanupCommand } = await import('./commands/cleanup.js');
        done(
          await cleanupCommand(options.controller, {
            studyId: options.study,
            stateDir: options.stateDir,
            namespace: options.namespace,
            json: options.json === true,
          }),
        );
      },
    );

  program
    .command('estimate')
    .description("the simulator's analytic prediction for one configuration (no server, no GPU)")
    .requiredOption('--model <name>', "a model of the simulator's catalogue, e.g. llama-3.1-8b")
    .option('--gpu <name>', "a GPU of the simulator's catalogue", 'h100')
    .addOption(new Option('--engine <engine>', 'whose flags to read').choices(ENGINE_FLAVORS).default('vllm'))
    .option('--set <key=value>', 'an engine flag (repeatable), e.g. --set max-num-seqs=128', collect, [])
    .option('--input-tokens <n>', 'prompt tokens per request', '512')
    .option('--output-tokens <n>', 'output tokens per request', '128')
    .option('--concurrency <n>', 'concurrent requests (default 16)')
    .option('--rate <req/s>', 'request rate instead of a concurrency')
    .option('--json', 'the estimate as JSON')
    .action(
      async (options: {
        model: string;
        gpu: string;
        engine: (typeof ENGINE_FLAVORS)[number];
        set: string[];
        inputTokens: string;
        outputTokens: string;
        concurrency?: string;
        rate?: string;
        json?: boolean;
      }) => {
        // Numbers stay text here: the command checks them with the model, GPU and flags, every problem at once.
        const { estimateCommand } = await import('./commands/estimate.js');
        done(
          estimateCommand(
            {
              model: options.model,
              gpu: options.gpu,
              engine: options.engine,
              settings: options.set,
              inputTokens: options.inputTokens,
              outputTokens: options.outputTokens,
              concurrency: options.concurrency,
              rate: options.rate,
            },
            { json: options.json === true },
          ),
        );
      },
    );

  program
    .command('kubernetes-job')
    .description(
      'print what runs a study inside its Kubernetes cluster (kubectl apply -f -): ServiceAccount, Role and ' +
        'ClusterRole limited to what the controller calls, the study file as a ConfigMap, the journal claim, the Job',
    )
    .argument('<study>', 'study file whose controller is kubernetes')
    .requiredOption('--image <image>', 'image with inference-autotuner installed (autotune on PATH)')
    .option('--namespace <ns>', "namespace of the tuner and its servers (default the study's, else default)")
    .option('--name <name>', "name of the Job and its objects (default from the study's name)")
    .option(
      '--journal-claim <claim>',
      'existing PersistentVolumeClaim for the journal (default: one is printed)',
    )
    .option('--journal-size <quantity>', 'size of the printed journal claim', '1Gi')
    .addHelpText(
      'after',
      '\nInside the cluster the tuner measures each server through its Service: no API-server port-forward adds\nlatency to the TTFT and ITL samples or caps throughput. Follow it with kubectl logs -f job/<name>; the\njournal stays on the claim (autotune report/resume from a pod that mounts it).',
    )
    .action(
      async (
        file: string,
        options: {
          image: string;
          namespace?: string;
          name?: string;
          journalClaim?: string;
          journalSize?: string;
        },
      ) => {
        const { kubernetesJobCommand } = await import('./commands/kubernetes-job.js');
        done(await kubernetesJobCommand(file, options));
      },
    );

  program
    .command('ui')
    .description('a dashboard in the browser over a folder of studies: their list, live trials, reports')
    .argument('[folder]', 'folder of journals (and of its .autotune/)', '.')
    .option('--host <address>', 'address to bind; any but loopback needs --token', '127.0.0.1')
    .option('--port <port>', 'port (0: any free one)', nonNegativePort, 8080)
    .option('--token <token>', 'access token every request must carry (or $AUTOTUNE_UI_TOKEN)')
    .action(async (folder: string, options: { host: string; port: number; token?: string }) => {
      const { uiCommand } = await import('./commands/ui.js');
      done(await uiCommand(folder, { host: options.host, port: options.port, token: options.token }));
    });

  program
    .command('submit')
    .description('run a study file in a running autotune ui (several run at once, sharing the GPUs)')
    .argument('<study>', 'study file (YAML or JSON)')
    .option(
      '--ui <url>',
      'the address autotune ui printed ($AUTOTUNE_UI_TOKEN carries its token)',
      'http://127.0.0.1:8080/',
    )
    .action(async (file: string, options: { ui: string }) => {
      const { submitCommand } = await import('./commands/submit.js');
      done(await submitCommand(file, { ui: options.ui }));
    });

  return program;
}

function nonNegativePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('a port from 0 to 65535');
  return port;
}
