// Reads a study file (YAML or JSON; one schema for both) into study options.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { errorMessage, InvalidOptionError } from '../errors.js';

/** Parses a study file; YAML is a superset of JSON, so one parser reads both. */
export async function readStudyFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidOptionError('study file', path, 'a readable YAML or JSON file', { cause: error });
  }
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new InvalidOptionError(
      'study file',
      path,
      `valid YAML or JSON (${errorMessage(error).split('\n')[0]})`,
      { cause: error },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError('study file', path, 'a mapping of study options at the top level');
  }
  return value as Record<string, unknown>;
}
