#!/usr/bin/env node
// autotune: command-line front of the library (thin: parse arguments, call the library, print).
import { CommanderError } from 'commander';
import {
  errorMessage,
  InvalidOptionError,
  JournalExistsError,
  JournalFormatError,
  JournalMismatchError,
  JournalReadError,
  MissingSecretError,
} from '../errors.js';
import { OptionsError } from '../tune/options-error.js';
import { libraryVersion } from '../tune/study-identity.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';

// The exit code of an error that ended a command, after printing what the user needs to read.
function reportError(error: unknown): number {
  // commander printed the problem and the hint to the usage already; --help and --version end here with 0.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof JournalExistsError) {
    process.stderr.write(
      `autotune: journal ${error.path} already exists: continue it with --resume (or autotune resume ${error.path}), or start over with --force (the old journal is kept as a .bak file)\n`,
    );
    return EXIT.usage;
  }
  if (
    error instanceof OptionsError ||
    error instanceof InvalidOptionError ||
    // A journal that is not one (truncated, garbled, foreign), of other options, or a secret to supply: the
    // input is wrong.
    error instanceof JournalFormatError ||
    error instanceof JournalMismatchError ||
    error instanceof MissingSecretError ||
    // A journal path on the command line that names no file.
    (error instanceof JournalReadError &&
      (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
  ) {
    process.stderr.write(`autotune: ${error.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`autotune: ${errorMessage(error)}\n`);
  return EXIT.error;
}

// A reader that stops early (`autotune --help | head`) closes the pipe: what is left to print is dropped, and a
// running study goes on to its own end (its engines are still stopped as usual), instead of a crash.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });

let commandExit: number = EXIT.ok;
const program = buildProgram(libraryVersion(), (code) => {
  commandExit = code;
});
program.parseAsync(process.argv).then(
  () => {
    process.exitCode = commandExit;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
