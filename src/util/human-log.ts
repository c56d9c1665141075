// Human-readable log lines from pino's records, one per record: `autotune: message` at info (info messages read on
// their own; their fields are for machines), `autotune: warning: message (key: value; ...)` at the other levels.

const LEVEL_LABELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};
// pino's own fields: the line shows the level as a word and the message; time, pid and host are noise here.
const CORE_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object'))
    return value.map(String).join(', ');
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
    return (value as { message: string }).message;
  return JSON.stringify(value);
}

/** One pino JSON record as a line a person reads; a line that is not a record comes back unchanged. */
export function humanLogLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const name = typeof record['name'] === 'string' ? record['name'] : 'autotune';
  const label = LEVEL_LABELS[Number(record['level'])];
  const fields =
    Number(record['level']) === 30
      ? []
      : Object.entries(record)
          .filter(([key, value]) => !CORE_FIELDS.has(key) && value !== undefined && value !== null)
          .map(([key, value]) => `${key}: ${fieldText(value)}`);
  const message = typeof record['msg'] === 'string' ? record['msg'] : '';
  return `${name}: ${label ? `${label}: ` : ''}${message}${fields.length > 0 ? ` (${fields.join('; ')})` : ''}\n`;
}

/** A pino destination that writes each record to `out` as a human-readable line. */
export function humanLogDestination(out: { write(text: string): unknown }): { write(chunk: string): void } {
  return {
    write(chunk) {
      // pino writes one record per call, newline-terminated.
      for (const line of chunk.split('\n')) if (line.trim() !== '') out.write(humanLogLine(line));
    },
  };
}
