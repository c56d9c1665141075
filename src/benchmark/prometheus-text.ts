// Reads a Prometheus text exposition (an engine's /metrics page) into one number per sample name.
import { createRequire } from 'node:module';

interface ParsedFamily {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}

type ParseText = (text: string) => ParsedFamily[];

let parser: ParseText | undefined;

function parseText(text: string): ParsedFamily[] {
  parser ??= createRequire(import.meta.url)('parse-prometheus-text-format') as ParseText;
  return parser(text);
}

/**
 * The samples of a Prometheus text page by name, each summed over its label sets (an engine with several
 * schedulers or finish reasons reports one series per label set; the page's total is what a summary needs).
 * Histograms and summaries are left out (their buckets explain single requests, which the client measures
 * itself). Unparseable values are skipped; a page that is not Prometheus text yields an empty map (the parser
 * finds no samples in it) or throws.
 */
export function parsePrometheusSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const add = (name: string, raw: string | undefined): void => {
    if (raw === undefined) return;
    const value = Number(raw);
    if (!Number.isFinite(value)) return;
    samples.set(name, (samples.get(name) ?? 0) + value);
  };
  // The parser drops a last line that has no line break.
  for (const family of parseText(text.endsWith('\n') ? text : `${text}\n`)) {
    for (const metric of family.metrics) add(family.name, metric.value);
  }
  return samples;
}

/**
 * The labels of the first sample of `metric` on a Prometheus text page (an info gauge carries its facts there),
 * or undefined when the page has none or is not Prometheus text.
 */
export function prometheusSampleLabels(text: string, metric: string): Map<string, string> | undefined {
  let families: ParsedFamily[];
  try {
    families = parseText(text.endsWith('\n') ? text : `${text}\n`);
  } catch {
    return undefined;
  }
  const labels = families.find((family) => family.name === metric)?.metrics[0]?.labels;
  return labels ? new Map(Object.entries(labels)) : undefined;
}
