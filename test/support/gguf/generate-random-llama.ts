// CLI: writes the random-weight llama GGUF test model. Usage: tsx generate-random-llama.ts OUT.gguf [f16|q8_0]
import { writeFileSync } from 'node:fs';
import { buildRandomLlamaGguf } from './random-llama.js';

const [out, weightType = 'f16'] = process.argv.slice(2);
if (!out || (weightType !== 'f16' && weightType !== 'q8_0')) {
  console.error('usage: generate-random-llama.ts OUT.gguf [f16|q8_0]');
  process.exit(2);
}
const bytes = buildRandomLlamaGguf({ weightType });
writeFileSync(out, bytes);
console.log(`wrote ${out} (${bytes.length} bytes, ${weightType})`);
