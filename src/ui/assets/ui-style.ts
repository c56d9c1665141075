// The dashboard's style sheet, served at /assets/ui.css: its own rules and the report's chart rules (the live page
// draws the report's charts with the report's chart script).
import { REPORT_CSS } from '../../report/report-assets.js';

// The report's rules for the charts the chart script draws (figures, their hover line), not those of its page.
const CHART_CSS = REPORT_CSS.split('\n')
  .filter((line) => /^(figure\.chart|\.charts)/.test(line))
  .join('\n');

/** CSS of every dashboard page. */
export const UI_CSS = `${CHART_CSS}
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #fafbfc; --line: #d0d7de; --muted: #57606a; }
header { padding: 0.6rem 1.2rem; background: #24292f; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 1rem 1.2rem; max-width: 80rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { background: #f0f3f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #57606a; }
.status { padding: 0.1rem 0.5rem; border-radius: 1rem; background: #ddf4ff; }
.status.finished { background: #dafbe1; }
tr.failed td, tr.invalid td { color: #a40e26; }
tr.failed, tr.pruned, tr.infeasible { fill: none; stroke: none; }
tr.best td { font-weight: 600; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { color: #57606a; }
pre { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; font-size: 0.8rem; }
`;
