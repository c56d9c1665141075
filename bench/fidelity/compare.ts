// Predicts every published row with the analytic model and summarises the agreement per table.
import { estimate } from '../../src/sim/estimate.js';
import { resolveSimConfig } from '../../src/sim/sim-config.js';
import { LONG_CONTEXT_TOKENS, type PublishedRow, type PublishedTable } from './published.js';
import { medianApe, spearman } from './stats.js';

/** Offline rows: every request queued at once, modelled as an arrival rate beyond any capacity. */
const OFFLINE_RATE_PER_S = 1e9;

/** A row with the model's prediction (undefined with the reason when the configuration would not start). */
export interface ComparedRow {
  table: string;
  row: PublishedRow;
  predicted: number | undefined;
  /** Predicted mean TTFT and TPOT (ms) of closed-loop rows. */
  ttftMs?: number;
  tpotMs?: number;
  failure?: string;
}

/** Agreement of one table (or of a set of rows). */
export interface Agreement {
  rows: number;
  predicted: number;
  spearman: number;
  medianApe: number;
  shortMedianApe: number;
  longRows: number;
  longMedianApe: number;
}

/**
 * The model's output-token throughput for one row of a table; `inferredKvBytes` overrides the KV element size of
 * tables whose KV format is inferred rather than stated (a sensitivity check).
 */
export function predictRow(
  table: PublishedTable,
  row: PublishedRow,
  options: { inferredKvBytes?: number } = {},
): ComparedRow {
  const kv =
    table.kvFormatInferred && options.inferredKvBytes !== undefined
      ? { kvBytesPerElement: options.inferredKvBytes }
      : {};
  const config = resolveSimConfig({
    ...table.setup,
    ...kv,
    ...(row.engine ? { engine: row.engine } : {}),
    model: row.model,
    gpu: row.gpu,
    tensorParallel: row.tensorParallel,
    weightFormat: row.weightFormat,
    maxModelLen: row.promptTokens + row.outputTokens,
  });
  const workload =
    row.concurrency === undefined
      ? {
          promptTokens: row.promptTokens,
          outputTokens: row.outputTokens,
          requestRatePerS: OFFLINE_RATE_PER_S,
        }
      : { promptTokens: row.promptTokens, outputTokens: row.outputTokens, concurrency: row.concurrency };
  const result = estimate(config, workload);
  if (!result.ok) return { table: table.id, row, predicted: undefined, failure: result.failure.kind };
  const { estimate: e } = result;
  const latencies = row.concurrency === undefined ? {} : { ttftMs: e.ttftMs.mean, tpotMs: e.tpotMs?.mean };
  return { table: table.id, row, predicted: e.outputTokensPerS, ...latencies };
}

/** Statistics of compared rows; rows whose configuration would not start count as misses, not errors. */
export function agreement(compared: readonly ComparedRow[]): Agreement {
  const ok = compared.filter((c): c is ComparedRow & { predicted: number } => c.predicted !== undefined);
  const pick = (rows: typeof ok) => ({
    p: rows.map((c) => c.predicted),
    m: rows.map((c) => c.row.outputTokensPerS),
  });
  const all = pick(ok);
  const short = pick(ok.filter((c) => c.row.promptTokens < LONG_CONTEXT_TOKENS));
  const long = pick(ok.filter((c) => c.row.promptTokens >= LONG_CONTEXT_TOKENS));
  return {
    rows: compared.length,
    predicted: ok.length,
    spearman: spearman(all.p, all.m),
    medianApe: medianApe(all.p, all.m),
    shortMedianApe: medianApe(short.p, short.m),
    longRows: long.p.length,
    longMedianApe: medianApe(long.p, long.m),
  };
}
