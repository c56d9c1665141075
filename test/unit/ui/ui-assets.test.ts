// The live page draws the report's charts: its style sheet carries the report's chart rules and none of its page rules.
import { describe, expect, it } from 'vitest';
import { UI_CSS } from '../../../src/ui/assets/ui-style.js';

describe('dashboard style sheet', () => {
  it.each(['.charts{', 'figure.chart{', 'figure.chart .u-legend', 'figure.chart .chart-tip'])(
    'has the report rule %s',
    (rule) => {
      expect(UI_CSS).toContain(rule);
    },
  );

  it('leaves out the report page rules (body, tables)', () => {
    expect(UI_CSS).not.toMatch(/^body\{/m);
    expect(UI_CSS).not.toMatch(/^table\{/m);
  });
});
