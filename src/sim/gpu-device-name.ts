// Catalogue name of a GPU from the product name a driver reports (nvidia-smi, NVML), with its memory when the name
// does not tell the variants apart.

/** Result of matching a product name: a catalogue name, or why there is none. */
export type DeviceNameMatch = { name: string; reason?: undefined } | { name: undefined; reason: string };

interface Rule {
  /** Matched against the normalised name (lowercase, `-` and `_` as spaces). */
  pattern: RegExp;
  name: (normalised: string, memoryGiB: number | undefined) => string | undefined;
  /** Why a name this rule matches has no catalogue entry (returned when `name` gives undefined). */
  unknown?: string;
}

const has = (text: string, word: string) => new RegExp(`\\b${word}\\b`).test(text);

// A name without a memory size (some drivers print `NVIDIA A100-SXM4`) is told apart by the memory reported.
function a100Size(text: string, memoryGiB: number | undefined): '40gb' | '80gb' {
  if (has(text, '80gb')) return '80gb';
  if (has(text, '40gb')) return '40gb';
  return memoryGiB !== undefined && memoryGiB < 60 ? '40gb' : '80gb';
}

// Ordered: the first rule whose pattern matches decides. Word boundaries keep `l4` from `l40s`, `a10` from `a100`.
const RULES: readonly Rule[] = [
  {
    pattern: /\bmig\b|\d+g\.\d+gb/,
    name: () => undefined,
    unknown: 'a MIG slice (its share of compute is not modelled)',
  },
  {
    pattern: /\ba100\b/,
    name: (t, mem) => `a100-${has(t, 'pcie') ? 'pcie-' : ''}${a100Size(t, mem)}`,
  },
  { pattern: /\bh100\b/, name: (t) => (has(t, 'nvl') ? 'h100-nvl' : has(t, 'pcie') ? 'h100-pcie' : 'h100') },
  {
    pattern: /\bh200\b/,
    name: (t) => (has(t, 'nvl') ? undefined : 'h200'),
    unknown: 'the H200 NVL is not in the catalogue',
  },
  { pattern: /\bb200\b/, name: () => 'b200' },
  { pattern: /\bl40s\b/, name: () => 'l40s' },
  { pattern: /\bl40\b/, name: () => 'l40' },
  { pattern: /\bl4\b/, name: () => 'l4' },
  { pattern: /\ba10g\b/, name: () => 'a10g' },
  { pattern: /\ba10\b/, name: () => 'a10' },
  { pattern: /\brtx 6000 ada\b/, name: () => 'rtx-6000-ada' },
  {
    pattern: /\brtx 4090\b/,
    name: (t) => (has(t, 'd') ? undefined : 'rtx-4090'),
    unknown: 'the RTX 4090 D (fewer SMs) is not in the catalogue',
  },
];

/** Normalises a product name for matching: lowercase, `-`/`_` as spaces, single spaces. */
export function normaliseDeviceName(deviceName: string): string {
  return deviceName.toLowerCase().replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Maps a driver's product name (and optionally its memory in GiB) to a GPU catalogue name. */
export function matchDeviceName(deviceName: string, memoryGiB?: number): DeviceNameMatch {
  const text = normaliseDeviceName(deviceName);
  for (const rule of RULES) {
    if (!rule.pattern.test(text)) continue;
    const name = rule.name(text, memoryGiB);
    if (name !== undefined) return { name };
    return {
      name: undefined,
      reason: `${JSON.stringify(deviceName)} is ${rule.unknown ?? 'not in the catalogue'}`,
    };
  }
  return { name: undefined, reason: `${JSON.stringify(deviceName)} is not a GPU of the catalogue` };
}
