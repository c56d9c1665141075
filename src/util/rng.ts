// Seeded pseudo-random numbers for pure modules: no code in this library reads Math.random.
import { InvalidArgumentError } from '../errors.js';

/** A seeded random source; every draw advances its state. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [low, high] inclusive. */
  int(low: number, high: number): number;
  /** Standard normal draw (mean 0, sd 1). */
  normal(): number;
  /** Exponential draw with the given rate (mean 1 / rate). */
  exponential(rate: number): number;
  /** Gamma draw with shape k and scale theta (mean k * theta). */
  gamma(shape: number, scale: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** An independent generator derived from this one's seed and a label. */
  fork(label: string | number): Rng;
  /** The seed this generator was created with. */
  readonly seed: number;
}

function hashString(text: string, seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b);
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a seeded generator (sfc32 seeded through splitmix32); same seed, same sequence. */
export function createRng(seed: number): Rng {
  const normalisedSeed = Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
  const init = splitmix32(normalisedSeed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4_294_967_296;
  };
  for (let i = 0; i < 12; i++) next();
  let spareNormal: number | undefined;
  const normal = (): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number, scale: number): number => {
    if (!(shape > 0) || !(scale > 0))
      throw new InvalidArgumentError('shape, scale', [shape, scale], 'both > 0');
    if (shape < 1) {
      // Boost: Gamma(k) = Gamma(k + 1) * U^(1/k).
      let u = 0;
      while (u === 0) u = next();
      return gamma(shape + 1, scale) * u ** (1 / shape);
    }
    // Marsaglia and Tsang (2000).
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v)))
        return dd * v * scale;
    }
  };
  return {
    seed: normalisedSeed,
    next,
    int(low, high) {
      return low + Math.floor(next() * (high - low + 1));
    },
    normal,
    exponential(rate) {
      let u = 0;
      while (u === 0) u = next();
      return -Math.log(u) / rate;
    },
    gamma,
    pick(items) {
      if (items.length === 0) throw new InvalidArgumentError('items', items, 'a non-empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    fork(label) {
      return createRng(hashString(String(label), normalisedSeed));
    },
  };
}
