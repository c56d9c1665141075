// The one normalisation of parameter names: `max-num-seqs`, `--max-num-seqs` and `max_num_seqs` are the same.

/** Reserved parameter keys that select presets instead of naming an engine flag. */
export const PRESET_KEYS = { quantization: '--quant-preset', parallel: '--parallel-preset' } as const;

const PRESET_SPELLINGS: Readonly<Record<string, keyof typeof PRESET_KEYS>> = {
  '--quant-preset': 'quantization',
  '--quantization-preset': 'quantization',
  '--parallel-preset': 'parallel',
  '--parallelism-preset': 'parallel',
};

/** The preset kind a parameter key selects (`quant_preset`, `quantization-preset`, ...), if it is a preset key. */
export function presetKind(name: string): keyof typeof PRESET_KEYS | undefined {
  return PRESET_SPELLINGS[normalizeParamName(name)];
}

/**
 * Canonical spelling of a parameter name: leading dashes stripped, underscores turned into dashes,
 * then `--` prefixed (`max_num_seqs` -> `--max-num-seqs`). Single-dash short names (`-tp`) are kept.
 */
export function normalizeParamName(name: string): string {
  const trimmed = name.trim();
  if (/^-[^-]/.test(trimmed)) return trimmed;
  const bare = trimmed.replace(/^-+/, '').replace(/_/g, '-');
  return `--${bare}`;
}

/** Spellings to try in a registry for a normalised name: `--tp` also tries the short form `-tp`. */
export function candidateSpellings(name: string): string[] {
  const canonical = normalizeParamName(name);
  const bare = canonical.replace(/^-+/, '');
  return [...new Set([name.trim(), canonical, `-${bare}`])];
}

/** Locale-independent string order (argv order must not depend on the host's locale). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
