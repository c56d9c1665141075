// The dashboard's one-line summary of a study.
import { describe, expect, it } from 'vitest';
import { summarizeStudy } from '../../../src/ui/study-summary.js';
import { failedTrial, journalOf, refusedTrial, trial } from '../report/report-fixtures.js';

describe('summarizeStudy', () => {
  it('counts against the budget only the search trials that used it', () => {
    const refused = refusedTrial(2, { 'tensor-parallel-size': 4 });
    const journal = journalOf([trial(0, {}, 100), failedTrial(1, {}, 'oom'), refused, trial(3, {}, 120)], {
      budget: { maxTrials: 4 },
    });
    const summary = summarizeStudy('s', journal, 0);
    expect(summary).toMatchObject({ trials: 4, searchTrials: 3, maxTrials: 4, failed: 1 });
  });
});
