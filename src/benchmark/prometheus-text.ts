// Reads a Prometheus text exposition (an engine's /metrics page) into one number per sample name.
import { createRequire } from 'node:module';

interface ParsedFamily {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; count?: string; sum?: string }>;
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
 * Histograms and summaries give `<name>_sum` and `<name>_count`. Unparseable values are skipped; a page that is
 * not Prometheus text yields an empty map (the parser finds no samples in it) or throws.
 */
export function parsePrometheusSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const add = (name: string, raw: string | undefined): void => {
    if (raw === undefined) return;
    const value = Number(raw);
    if (!Number.isFinite(value)) return;
    samples.set(name, (samples.get(name) ?? 0) + value);
  };
  for (const family of parseText(text)) {
    for (const metric of family.metrics) {
      if (metric.value !== undefined) add(family.name, metric.value);
      else {
        add(`${family.name}_sum`, metric.sum);
        add(`${family.name}_count`, metric.count);
      }
    }
  }
  return samples;
}
