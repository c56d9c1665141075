// The options that differ between a journal and the study resuming it: dotted paths, both values, redacted.
import { describe, expect, it } from 'vitest';
import { JournalMismatchError } from '../../../../src/errors.js';
import { optionDifferences } from '../../../../src/tune/journal/option-differences.js';
import { resolveOptions } from '../../../../src/tune/resolve-options.js';

const parsed = (extra: Record<string, unknown>) =>
  resolveOptions({ model: 'llama-3.1-8b', space: { 'max-num-seqs': [16, 32] }, ...extra }).options;

describe('optionDifferences', () => {
  it('is empty for the same options, whatever the options that do not change what a study computes', () => {
    expect(optionDifferences(parsed({}), parsed({ budget: { maxTrials: 3 }, journal: 'x.jsonl' }))).toEqual(
      [],
    );
  });

  it.each([
    [{ seed: 3 }, [{ path: 'seed', journal: 0, options: 3 }]],
    [
      { sim: { timeScale: 20 } },
      [{ path: 'sim', journal: undefined, options: { gpu: 'h100', numGpus: 8, timeScale: 20 } }],
    ],
    [
      { space: { 'max-num-seqs': [16, 64] } },
      [{ path: 'space.max-num-seqs', journal: [16, 32], options: [16, 64] }],
    ],
    [{ controller: { kind: 'docker' } }, [{ path: 'controller', journal: 'local', options: 'docker' }]],
    [
      { extraArgs: ['--api-key', 'sk-abcdefghijklmnop'] },
      [{ path: 'extraArgs', journal: [], options: ['--api-key', '[REDACTED]'] }],
    ],
  ])('%j differs at its path', (changed, differences) => {
    expect(optionDifferences(parsed({}), parsed(changed))).toEqual(differences);
  });

  it('reads a journal header that is not an options object as no options', () => {
    expect(optionDifferences(null, parsed({})).map((d) => d.path)).toContain('model');
  });
});

describe('JournalMismatchError', () => {
  it('names each difference with both values; without any, says what may differ', () => {
    const error = new JournalMismatchError('j.jsonl', [
      { path: 'seed', journal: 0, options: 3 },
      { path: 'sim', journal: undefined, options: { timeScale: 20 } },
    ]);
    expect(error.message).toContain('(seed: journal 0, now 3; sim: journal not set, now {"timeScale":20})');
    expect(error.differences).toHaveLength(2);
    expect(new JournalMismatchError('j.jsonl').message).toMatch(/differ from these \(model, space/);
  });

  it('lists at most eight and counts the rest', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ path: `space.p${i}`, journal: i, options: i + 1 }));
    expect(new JournalMismatchError('j.jsonl', many).message).toContain(
      'space.p7: journal 7, now 8; and 3 more',
    );
  });
});
