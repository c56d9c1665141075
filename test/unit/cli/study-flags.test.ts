import { describe, expect, it } from 'vitest';
import { studyFlags, withFlagProblems } from '../../../src/cli/study-flags.js';
import { InvalidOptionError, JournalReadError } from '../../../src/errors.js';
import { OptionsError } from '../../../src/tune/options-error.js';

describe('study flags', () => {
  it('reads valid flags and turns every bad value into a problem naming the flag', () => {
    expect(studyFlags({ maxTrials: '12', logLevel: 'debug', new: true }).flags).toMatchObject({
      maxTrials: 12,
      logLevel: 'debug',
      force: true,
    });
    const { flags, problems } = studyFlags({ maxTrials: '1.5', logLevel: 'loud' });
    expect(flags.maxTrials).toBeUndefined();
    expect(problems.map((p) => [p.path, p.value])).toEqual([
      ['--max-trials', '1.5'],
      ['--log-level', 'loud'],
    ]);
  });

  it("reports the flags' problems with the study's in one error, and alone when the study passes", async () => {
    const bad = studyFlags({ maxTrials: '0' }).problems;
    expect(await withFlagProblems([], async () => 'read')).toBe('read');
    expect(await withFlagProblems(bad, async () => 'read', false)).toBe('read');
    const alone = await withFlagProblems(bad, async () => 'checked').catch((e: unknown) => e);
    expect(alone).toBeInstanceOf(OptionsError);
    expect((alone as OptionsError).message).toMatch(/^Invalid command-line flags \(1 problem\)/);
    const withStudy = await withFlagProblems(bad, async () => {
      throw new OptionsError([{ path: 'budgett', value: 3, expected: 'no such option' }]);
    }).catch((e: unknown) => e);
    expect((withStudy as OptionsError).problems.map((p) => p.path)).toEqual(['--max-trials', 'budgett']);
    const file = await withFlagProblems(bad, async () => {
      throw new InvalidOptionError('study file', 'x.yaml', 'a readable YAML or JSON file');
    }).catch((e: unknown) => e);
    expect((file as OptionsError).problems.map((p) => p.path)).toEqual(['--max-trials', 'study file']);
    const journal = await withFlagProblems(bad, async () => {
      throw new JournalReadError('j.jsonl');
    }).catch((e: unknown) => e);
    expect((journal as OptionsError).problems.map((p) => p.path)).toEqual(['--max-trials', 'journal']);
    // Anything else is not the input's problem: it goes through as it is.
    const other = await withFlagProblems(bad, async () => {
      throw new Error('disk on fire');
    }).catch((e: unknown) => e);
    expect((other as Error).message).toBe('disk on fire');
  });
});
