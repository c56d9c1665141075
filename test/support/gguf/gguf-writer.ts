// Serialises a GGUF v3 file: header, typed metadata, tensor infos and aligned tensor data (little-endian).

/** GGUF metadata value types (the numbers are part of the file format). */
export const GgufValueType = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** ggml tensor element types used by the generator (numbers from ggml's type enum). */
export const GgmlType = { f32: 0, f16: 1, q8_0: 8 } as const;

type ScalarKind = 'uint32' | 'int32' | 'float32' | 'bool' | 'string' | 'uint64';

/** One metadata entry: a scalar or a homogeneous array. */
export type GgufMetadataValue =
  | { kind: ScalarKind; value: number | boolean | string | bigint }
  | { kind: 'array'; itemKind: 'string' | 'float32' | 'int32'; values: readonly (string | number)[] };

/** A tensor to write: dims in ggml order (innermost first) and its already encoded bytes. */
export interface GgufTensor {
  name: string;
  dims: readonly number[];
  type: number;
  data: Uint8Array;
}

/** The GGUF format's alignment of the tensor data section (general.alignment). */
export const GGUF_ALIGNMENT = 32;

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  str(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rest = this.length % GGUF_ALIGNMENT;
    if (rest !== 0) this.push(Buffer.alloc(GGUF_ALIGNMENT - rest));
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeScalar(sink: ByteSink, kind: ScalarKind, value: number | boolean | string | bigint): void {
  if (kind === 'uint32') sink.u32(Number(value));
  else if (kind === 'int32') sink.i32(Number(value));
  else if (kind === 'float32') sink.f32(Number(value));
  else if (kind === 'bool') sink.push(Buffer.from([value ? 1 : 0]));
  else if (kind === 'string') sink.str(String(value));
  else sink.u64(typeof value === 'bigint' ? value : Number(value));
}

/** Encodes a whole GGUF v3 file into one buffer (test models are a few MiB). */
export function encodeGguf(
  metadata: ReadonlyMap<string, GgufMetadataValue>,
  tensors: readonly GgufTensor[],
): Buffer {
  const sink = new ByteSink();
  sink.push(Buffer.from('GGUF', 'ascii'));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(metadata.size);
  for (const [key, entry] of metadata) {
    sink.str(key);
    if (entry.kind === 'array') {
      sink.u32(GgufValueType.array);
      sink.u32(GgufValueType[entry.itemKind]);
      sink.u64(entry.values.length);
      for (const item of entry.values) writeScalar(sink, entry.itemKind, item);
    } else {
      sink.u32(GgufValueType[entry.kind]);
      writeScalar(sink, entry.kind, entry.value);
    }
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    offsets.push(offset);
    offset += Math.ceil(tensor.data.length / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  tensors.forEach((tensor, index) => {
    sink.str(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(tensor.type);
    sink.u64(offsets[index] ?? 0);
  });
  sink.pad();
  for (const tensor of tensors) {
    sink.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    sink.pad();
  }
  return sink.concat();
}
