// Encodes float32 values as ggml f32, f16 or q8_0 tensor bytes.

/** Converts one float to IEEE 754 half precision bits (round to nearest even). */
export function toHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    const rounded = (mantissa + (1 << (shift - 1)) - 1 + ((mantissa >>> shift) & 1)) >>> shift;
    return sign | rounded;
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) return halfExponent + 1 >= 0x1f ? sign | 0x7c00 : sign | ((halfExponent + 1) << 10);
  return sign | (halfExponent << 10) | (rounded >>> 13);
}

/** ggml f32: plain little-endian floats. */
export function encodeF32(values: Float32Array): Uint8Array {
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeFloatLE(values[i] ?? 0, i * 4);
  return out;
}

/** ggml f16: little-endian half floats. */
export function encodeF16(values: Float32Array): Uint8Array {
  const out = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) out.writeUInt16LE(toHalfBits(values[i] ?? 0), i * 2);
  return out;
}

/** ggml q8_0: blocks of 32 values, each an f16 scale then 32 signed bytes (value = scale * q). */
export function encodeQ8_0(values: Float32Array): Uint8Array {
  const blockSize = 32;
  if (values.length % blockSize !== 0) {
    throw new RangeError(`q8_0 needs a multiple of ${blockSize} values, got ${values.length}`);
  }
  const blocks = values.length / blockSize;
  const out = Buffer.alloc(blocks * (2 + blockSize));
  for (let b = 0; b < blocks; b++) {
    let maxAbs = 0;
    for (let i = 0; i < blockSize; i++) maxAbs = Math.max(maxAbs, Math.abs(values[b * blockSize + i] ?? 0));
    const scale = maxAbs / 127;
    const inverse = scale === 0 ? 0 : 1 / scale;
    const base = b * (2 + blockSize);
    out.writeUInt16LE(toHalfBits(scale), base);
    for (let i = 0; i < blockSize; i++) {
      out.writeInt8(Math.round((values[b * blockSize + i] ?? 0) * inverse), base + 2 + i);
    }
  }
  return out;
}
