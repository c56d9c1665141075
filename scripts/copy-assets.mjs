// Copies non-TypeScript assets (engine flag registries) next to the compiled output.
import { cpSync } from 'node:fs';

cpSync('src/runtimes/registries', 'dist/runtimes/registries', { recursive: true });
