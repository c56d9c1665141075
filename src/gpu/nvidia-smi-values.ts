// Reading nvidia-smi's printed values ("1032 MiB", "0 %", "[N/A]") into numbers.

const NOT_AVAILABLE =
  /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions|Requested functionality has been deprecated)\]?$/i;

/**
 * Parses a number printed by nvidia-smi with an optional unit suffix (`"81559 MiB"`, `"100 %"`, `"42"`).
 * Returns undefined for "N/A"-style markers and empty text. `unit` is the only suffix accepted.
 */
export function parseSmiNumber(text: string | undefined, unit: string): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '' || NOT_AVAILABLE.test(trimmed)) return undefined;
  const match = /^(-?\d+(?:\.\d+)?)\s*(\S*)$/.exec(trimmed);
  if (!match || (match[2] !== '' && match[2] !== unit)) return undefined;
  return Number(match[1]);
}

/** Parses an integer field (pid, index, instance id); undefined when absent or not an integer. */
export function parseSmiInteger(text: string | undefined): number | undefined {
  const value = parseSmiNumber(text, '');
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}

/** Returns the text unless it is an "N/A"-style marker or empty. */
export function smiText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed === '' || NOT_AVAILABLE.test(trimmed) ? undefined : trimmed;
}
