// Completes the compiled output: copies non-TypeScript assets (engine flag registries) next to it and makes the
// package's bins executable, so a checkout runs them (`npx --no -- inference-sim`) as an installed package would.
import { chmodSync, cpSync, readFileSync } from 'node:fs';

cpSync('src/runtimes/registries', 'dist/runtimes/registries', { recursive: true });

const { bin } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const file of Object.values(bin)) chmodSync(file, 0o755);
