// A study's identity: its id, journal path, options fingerprint and library version.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sanitizeName } from '../controllers/names.js';
import { fingerprint } from './canonical-json.js';
import type { ParsedTuneOptions } from './options-schema.js';

// The options that decide what a study computes (budget, journal path, timeouts and parallelism do not).
const FINGERPRINT_KEYS = [
  'runtime',
  'model',
  'engine',
  'sim',
  'space',
  'constraints',
  'strategy',
  'workload',
  'load',
  'benchmark',
  'slo',
  'objective',
  'seed',
  'fixedParams',
  'presets',
  'extraArgs',
  'baseline',
  'modelPath',
  'image',
  'entrypoint',
  'binary',
] as const satisfies ReadonlyArray<keyof ParsedTuneOptions>;

/** The options that decide what a study computes, as fingerprinted (the controller by its kind alone). */
export function fingerprintedOptions(options: ParsedTuneOptions): Record<string, unknown> {
  const picked = Object.fromEntries(FINGERPRINT_KEYS.map((key) => [key, options[key]]));
  // Where trials run changes what they measure; the controller's other settings do not.
  return { ...picked, controller: options.controller?.kind };
}

/** Fingerprint of the options that decide what a study computes; resuming with different ones is refused. */
export function studyFingerprint(options: ParsedTuneOptions): string {
  return fingerprint(fingerprintedOptions(options));
}

/** Identity of a study run. */
export interface StudyIdentity {
  studyId: string;
  journalPath: string;
  fingerprint: string;
}

/** Derives the study id (from `name`, else the fingerprint) and the journal path. */
export function studyIdentity(options: ParsedTuneOptions, cwd = process.cwd()): StudyIdentity {
  const print = studyFingerprint(options);
  const studyId = options.name ? sanitizeName(options.name, 'k8s') : `study-${print.slice(0, 10)}`;
  const journalPath = resolve(cwd, options.journal ?? `.autotune/${studyId}.jsonl`);
  return { studyId, journalPath, fingerprint: print };
}

let version: string | undefined;

/** This library's version (from its package.json). */
export function libraryVersion(): string {
  if (version === undefined) {
    try {
      const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
      version = String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0');
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}
