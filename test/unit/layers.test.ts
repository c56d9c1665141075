// The folders of src/ import one way: each only from folders listed below it here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Bottom first. A folder may import itself and anything earlier in this list, never anything later.
const LAYERS = [
  ['errors'],
  ['util'],
  ['gpu', 'parallelism', 'slo'],
  ['search'],
  ['benchmark'],
  ['controllers'],
  ['runtimes'],
  ['sim'],
  ['deploy'],
  ['tune'],
  ['report'],
  ['ui'],
  ['cli', 'index'],
];

const root = resolve(import.meta.dirname, '../../src');
const rank = new Map(LAYERS.flatMap((names, level) => names.map((name) => [name, level] as const)));
const top = (file: string) => (relative(root, file).split('/')[0] ?? '').replace(/\.ts$/, '');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function folderImports(): { from: string; to: string; file: string }[] {
  const edges: { from: string; to: string; file: string }[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), match[1] ?? '');
      const from = top(file);
      const to = top(target.replace(/\.js$/, '.ts'));
      if (from !== to) edges.push({ from, to, file: relative(root, file) });
    }
  }
  return edges;
}

describe('src layers', () => {
  it('places every folder of src in a layer', () => {
    const folders = readdirSync(root).map((name) => name.replace(/\.ts$/, ''));
    expect(folders.filter((name) => !rank.has(name))).toEqual([]);
  });

  it('has no import from a lower layer to a higher or equal one', () => {
    const upward = folderImports()
      .filter(({ from, to }) => (rank.get(to) ?? 0) >= (rank.get(from) ?? 0))
      .map(({ from, to, file }) => `${file}: ${from} -> ${to}`);
    expect(upward).toEqual([]);
  });
});
