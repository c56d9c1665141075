#!/usr/bin/env node
// inference-sim: the simulated inference engine as a command (thin: parse argv, start the server, report).
import { AutotunerError, errorMessage } from '../errors.js';
import { simUsage } from '../runtimes/adapters/sim-flags.js';
import { modelFromConfig } from '../sim/model-config-file.js';
import { isArgsError, parseEngineArgs } from '../sim/parse-engine-args.js';
import { simConfigFromArgs } from '../sim/sim-args.js';
import { resolveSimConfig, type SimConfig } from '../sim/sim-config.js';
import { startSimServer } from '../sim/sim-server.js';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(simUsage());
    return 0;
  }
  const args = parseEngineArgs(argv);
  if (isArgsError(args)) {
    process.stderr.write(`${args.message}\n`);
    return args.exitCode;
  }
  // A model described by its config.json instead of a catalogue name.
  const modelConfig = args.values.get('--model-config');
  let parsed: ReturnType<typeof simConfigFromArgs>;
  try {
    parsed =
      typeof modelConfig === 'string'
        ? simConfigFromArgs(args, { model: await modelFromConfig(modelConfig) })
        : simConfigFromArgs(args);
  } catch (error) {
    process.stderr.write(`inference-sim: error: ${errorMessage(error)}\n`);
    return 2;
  }
  if ('exitCode' in parsed) {
    process.stderr.write(`${parsed.message}\n`);
    return parsed.exitCode;
  }
  let config: SimConfig;
  try {
    config = resolveSimConfig(parsed.config);
  } catch (error) {
    process.stderr.write(`inference-sim: error: ${errorMessage(error)}\n`);
    return 2;
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  let server: Awaited<ReturnType<typeof startSimServer>>;
  try {
    server = await startSimServer({ config, host: parsed.host, port: parsed.port, log });
  } catch (error) {
    const message = error instanceof AutotunerError ? error.message : String(error);
    process.stderr.write(`inference-sim: error: ${message}\n`);
    return 1;
  }
  const stop = (): void => void server.close();
  // Handlers first: a supervisor may signal as soon as it reads the listening line.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`inference-sim listening on ${server.url}\n`);
  const exit = await server.exited;
  return exit.code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Sockets are closed; leave once stdout and stderr have drained.
    setImmediate(() => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`inference-sim: fatal: ${String(error)}\n`);
    process.exit(1);
  },
);
