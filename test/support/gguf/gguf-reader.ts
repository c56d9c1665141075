// Reads back the header, metadata and tensor infos of a GGUF v3 file (used to check the writer).
import { GGUF_ALIGNMENT, GgufValueType } from './gguf-writer.js';

/** What the reader found in a GGUF file. */
export interface GgufSummary {
  version: number;
  metadata: Map<string, unknown>;
  tensors: { name: string; dims: number[]; type: number; offset: number }[];
  /** File offset where the tensor data section starts. */
  dataOffset: number;
}

/** Parses a GGUF buffer's header, metadata and tensor infos; throws on a malformed file. */
export function readGguf(buffer: Buffer): GgufSummary {
  let at = 0;
  const u32 = (): number => {
    const v = buffer.readUInt32LE(at);
    at += 4;
    return v;
  };
  const u64 = (): number => {
    const v = Number(buffer.readBigUInt64LE(at));
    at += 8;
    return v;
  };
  const str = (): string => {
    const length = u64();
    const v = buffer.toString('utf8', at, at + length);
    at += length;
    return v;
  };
  const value = (type: number): unknown => {
    switch (type) {
      case GgufValueType.uint32:
        return u32();
      case GgufValueType.int32: {
        const v = buffer.readInt32LE(at);
        at += 4;
        return v;
      }
      case GgufValueType.float32: {
        const v = buffer.readFloatLE(at);
        at += 4;
        return v;
      }
      case GgufValueType.bool:
        return buffer.readUInt8(at++) !== 0;
      case GgufValueType.string:
        return str();
      case GgufValueType.uint64:
        return u64();
      case GgufValueType.array: {
        const itemType = u32();
        const count = u64();
        return Array.from({ length: count }, () => value(itemType));
      }
      default:
        throw new Error(`unsupported GGUF value type ${type} at byte ${at}`);
    }
  };
  if (buffer.toString('ascii', 0, 4) !== 'GGUF') throw new Error('not a GGUF file (bad magic)');
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const metadataCount = u64();
  const metadata = new Map<string, unknown>();
  for (let i = 0; i < metadataCount; i++) {
    const key = str();
    metadata.set(key, value(u32()));
  }
  const tensors: GgufSummary['tensors'] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const dims = Array.from({ length: u32() }, () => u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const dataOffset = Math.ceil(at / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  return { version, metadata, tensors, dataOffset };
}
