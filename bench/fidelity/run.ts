// Fidelity of the analytic model (`estimate`) against published measured serving results: per table, Spearman
// rank correlation and median absolute percentage error of predicted vs published output-token throughput, long
// contexts (>= 16k prompt tokens) apart. Prints Markdown; `--rows` adds every row; `--inferred-kv-bf16` takes a
// bf16 KV cache for the tables whose KV format is inferred rather than stated (a sensitivity check).
//
//   npx tsx bench/fidelity/run.ts [--rows] [--inferred-kv-bf16]
import { parseArgs } from 'node:util';
import { type Agreement, agreement, type ComparedRow, predictRow } from './compare.js';
import { PUBLISHED_TABLES } from './published.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'boolean', default: false },
    'inferred-kv-bf16': { type: 'boolean', default: false },
  },
});
const options = values['inferred-kv-bf16'] ? { inferredKvBytes: 2 } : {};

const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${(x * 100).toFixed(1)}%`);
const rho = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(3));
const line = (name: string, a: Agreement): string =>
  `| ${name} | ${a.predicted}/${a.rows} | ${rho(a.spearman)} | ${pct(a.medianApe)} | ${pct(a.shortMedianApe)} | ${a.longRows} | ${pct(a.longMedianApe)} |`;

const all: ComparedRow[] = [];
console.log(
  '| table | rows predicted | Spearman | median APE | median APE < 16k | rows >= 16k | median APE >= 16k |',
);
console.log('|---|---|---|---|---|---|---|');
for (const table of PUBLISHED_TABLES) {
  const compared = table.rows.map((row) => predictRow(table, row, options));
  all.push(...compared);
  console.log(line(table.id, agreement(compared)));
}
console.log(line('all tables', agreement(all)));

if (values.rows) {
  console.log(
    '\n| table | engine | model | GPU x n | ISL/OSL | load | published tok/s | predicted tok/s | error | TTFT ms published / predicted | ITL ms published / predicted |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of all) {
    const r = c.row;
    const load = r.concurrency === undefined ? 'offline' : `c=${r.concurrency}`;
    const predicted = c.predicted === undefined ? `fails: ${c.failure}` : c.predicted.toFixed(0);
    const error =
      c.predicted === undefined ? '-' : pct((c.predicted - r.outputTokensPerS) / r.outputTokensPerS);
    const ttft = r.ttftMs === undefined ? '' : `${r.ttftMs.toFixed(0)} / ${c.ttftMs?.toFixed(0) ?? '-'}`;
    const itl = r.itlMs === undefined ? '' : `${r.itlMs.toFixed(1)} / ${c.tpotMs?.toFixed(1) ?? '-'}`;
    console.log(
      `| ${c.table} | ${r.engine ?? ''} | ${r.model} ${r.weightFormat} | ${r.gpu} x ${r.gpus} | ${r.promptTokens}/${r.outputTokens} | ${load} | ${r.outputTokensPerS} | ${predicted} | ${error} | ${ttft} | ${itl} |`,
    );
  }
}
