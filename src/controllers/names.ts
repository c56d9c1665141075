// Name sanitising for Docker container names and Kubernetes objects and labels (one place for all).
import { createHash } from 'node:crypto';

/** Where a name will be used. */
export type NameTarget = 'docker' | 'k8s';

const LIMITS: Record<NameTarget, number> = { docker: 128, k8s: 63 };

/** Short stable hash of a string (8 hex chars), used when a name has to be truncated. */
export function stableHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * Turns any string into a valid name: Docker container names (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`, at most
 * 128 chars) or Kubernetes DNS-1123 labels (lowercase alphanumerics and `-`, alphanumeric at both ends,
 * at most 63 chars). A name that had to be changed or truncated gets a stable hash suffix of the
 * original so two different inputs do not collide.
 */
export function sanitizeName(name: string, target: NameTarget): string {
  const limit = LIMITS[target];
  const cleaned =
    target === 'docker'
      ? name.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '')
      : name
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-')
          .replace(/-{2,}/g, '-')
          .replace(/^-+|-+$/g, '');
  if (cleaned !== '' && cleaned === name && cleaned.length <= limit) return cleaned;
  const suffix = stableHash(name);
  const head = cleaned.slice(0, limit - suffix.length - 1).replace(/[^a-zA-Z0-9]+$/, '');
  return head ? `${head}-${suffix}` : suffix;
}

/**
 * Turns any string into a valid Kubernetes label value (at most 63 chars of `[A-Za-z0-9_.-]`,
 * alphanumeric at both ends); also used for Docker label values so selectors match everywhere.
 */
export function sanitizeLabelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (cleaned === value && cleaned.length <= 63) return cleaned;
  const suffix = stableHash(value);
  const head = cleaned.slice(0, 63 - suffix.length - 1).replace(/[^A-Za-z0-9]+$/, '');
  return head ? `${head}-${suffix}` : suffix;
}
