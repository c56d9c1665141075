// A small reader for nvidia-smi's `--format=csv` output (header row, ", " separators, optional quotes).

/** One CSV table: trimmed header names and rows keyed by them. */
export interface CsvTable {
  header: string[];
  rows: Map<string, string>[];
}

function splitLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** Drops a unit suffix from a header name: `memory.total [MiB]` -> `memory.total`. */
export function csvFieldName(header: string): string {
  return header.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
}

/**
 * Reads a CSV table with a header row. When a row has more cells than the header, the extra cells
 * are joined back into `freeTextColumn` (nvidia-smi does not quote process names with commas).
 */
export function readCsvTable(text: string, freeTextColumn?: string): CsvTable {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = splitLine(lines[0] ?? '').map(csvFieldName);
  const freeAt = freeTextColumn === undefined ? -1 : header.indexOf(freeTextColumn);
  const rows = lines.slice(1).map((line) => {
    let cells = splitLine(line);
    const extra = cells.length - header.length;
    if (extra > 0 && freeAt >= 0) {
      const joined = cells.slice(freeAt, freeAt + extra + 1).join(', ');
      cells = [...cells.slice(0, freeAt), joined, ...cells.slice(freeAt + extra + 1)];
    }
    return new Map(header.map((name, i) => [name, cells[i] ?? '']));
  });
  return { header, rows };
}
