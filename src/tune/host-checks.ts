// Checks against this host before anything launches: the files a study names exist and can be read, and the
// engine executable a local launch runs is there.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { ControllerTraits } from '../controllers/controller-traits.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import type { OptionProblem } from './options-error.js';
import type { ParsedTuneOptions } from './options-schema.js';

/** What the host checks need to know beside the options. */
export interface HostCheckContext {
  /** The options (or the parts of them that are valid). */
  options: Partial<ParsedTuneOptions>;
  runtime: RuntimeAdapter | undefined;
  /** Traits of the controller the study launches through. */
  traits: ControllerTraits;
  /** The caller brought its own controller: where and how it launches is its own business. */
  ownController: boolean;
  /** Something will be launched and benchmarked (not an analytic estimate, not a caller's evaluator). */
  launches: boolean;
}

// Why `path` cannot be read as the kind of entry wanted, or undefined when it can.
function unreadable(path: string, want: 'file' | 'any'): string | undefined {
  try {
    const stat = statSync(path);
    if (want === 'file' && !stat.isFile()) return 'it is a directory, not a file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file or directory';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    return String(code ?? error);
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when `command` names an executable file (a path) or one found on PATH. */
export function findsExecutable(command: string, pathVariable = process.env['PATH'] ?? ''): boolean {
  if (command.includes('/')) return isExecutableFile(command);
  return pathVariable
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => isExecutableFile(join(dir, command)));
}

// The files the options name, each with its path in the options and the kind of entry it must be.
function namedFiles(context: HostCheckContext): { path: string; file: string; want: 'file' | 'any' }[] {
  const { options, traits, ownController, launches } = context;
  const files: { path: string; file: string; want: 'file' | 'any' }[] = [];
  const workload = options.workload;
  if (launches && (workload?.kind === 'jsonl' || workload?.kind === 'sharegpt'))
    files.push({ path: 'workload.path', file: workload.path, want: 'file' });
  // A model on this host: mounted into containers here, or read by a local process. A cluster's nodes have
  // their own file systems.
  if (launches && options.modelPath !== undefined && !ownController && traits.gpuPlacement === 'pool')
    files.push({ path: 'modelPath', file: options.modelPath, want: 'any' });
  if (options.warmStart !== undefined)
    files.push({ path: 'warmStart', file: options.warmStart, want: 'file' });
  // A controller that reads a credentials file (kubeconfig) from this host.
  const controller = options.controller;
  if (!ownController && controller && 'kubeconfig' in controller && controller.kubeconfig !== undefined)
    files.push({ path: 'controller.kubeconfig', file: controller.kubeconfig, want: 'file' });
  return files;
}

/** Files the study names that do not exist or cannot be read, each at its option. */
export function fileProblems(context: HostCheckContext): OptionProblem[] {
  return namedFiles(context).flatMap(({ path, file, want }) => {
    const reason = unreadable(file, want);
    if (reason === undefined) return [];
    // A relative path is read from the working directory: say which file that was.
    const where = isAbsolute(file) ? '' : `: ${resolve(file)}`;
    return [
      { path, value: file, expected: `a readable ${want === 'file' ? 'file' : 'path'} (${reason}${where})` },
    ];
  });
}

/** The engine executable a local launch runs, when this host does not have it. */
export function executableProblems(context: HostCheckContext): OptionProblem[] {
  const { options, runtime, traits, ownController, launches } = context;
  if (!runtime || !launches || ownController || traits.target !== 'process') return [];
  const command = options.binary ?? runtime.command;
  if (findsExecutable(command)) return [];
  if (options.binary !== undefined)
    return [
      {
        path: 'binary',
        value: options.binary,
        expected: `an executable file${options.binary.includes('/') ? '' : ' on PATH'} (not found)`,
      },
    ];
  return [
    {
      path: 'runtime',
      value: runtime.name,
      expected: `an engine this host can run: ${command} (what runtime ${runtime.name} launches locally) is not on PATH; install it, give its path in \`binary\`, or run it in containers (\`controller: { kind: 'docker' }\`)`,
    },
  ];
}
