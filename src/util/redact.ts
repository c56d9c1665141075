// Secret redaction shared by logs, journals, reports, exports and error messages.

/** What every redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

// Shapes of well-known credentials; values registered at run time are scrubbed too.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bhf_[A-Za-z0-9]{10,}\b/g,
  /\bsk-[A-Za-z0-9_-]{10,}\b/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
];

/** Environment variable and option names whose values are always secret. */
export const SECRET_KEY_PATTERN =
  /(token(?![a-z])|secret|password|passwd|api[_-]?key|authorization|credential)/i;

const registered = new Set<string>();

/** Registers a literal secret value (e.g. the HF token of a study) so every redaction removes it. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

/** Forgets every registered secret (tests). */
export function clearRegisteredSecrets(): void {
  registered.clear();
}

/** Replaces every known secret in a string with `[REDACTED]`. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** Deep-copies a JSON-like value, redacting secret-named keys and secret-shaped strings. */
export function redactValue<T>(value: T): T {
  return redactInner(value, undefined) as T;
}

function redactInner(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && SECRET_KEY_PATTERN.test(key) && value.length > 0) return REDACTED;
    return redactText(value);
  }
  if (Array.isArray(value)) {
    // argv-style arrays: the value after a secret-named flag is secret.
    return value.map((item, i) => {
      const previous = i > 0 ? value[i - 1] : undefined;
      if (
        typeof item === 'string' &&
        typeof previous === 'string' &&
        previous.startsWith('-') &&
        SECRET_KEY_PATTERN.test(previous)
      ) {
        return REDACTED;
      }
      return redactInner(item, undefined);
    });
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactInner(v, k);
    return out;
  }
  return value;
}
