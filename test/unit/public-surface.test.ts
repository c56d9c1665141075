// The public surface: what src/index.ts exports is documented at its definition, covers every error class and
// every building block README names, and is all the examples use.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors.js';
import * as index from '../../src/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const indexPath = path.join(root, 'src/index.ts');
const indexText = readFileSync(indexPath, 'utf8');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

// Every name the index exports (types included) with the doc comment of the declaration it stands for.
function exportedDocs(): Map<string, string> {
  const program = ts.createProgram([indexPath], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    customConditions: ['inference-autotuner-source'],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(indexPath);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('src/index.ts did not load');
  const docs = new Map<string, string>();
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    docs.set(symbol.name, ts.displayPartsToString(target.getDocumentationComment(checker)).trim());
  }
  return docs;
}

describe('src/index.ts', () => {
  const docs = exportedDocs();

  it('exports a curated set of names, listed by name', () => {
    expect(indexText).not.toMatch(/export \*/);
    expect(docs.size).toBeGreaterThan(100);
    expect(docs.size).toBeLessThan(400);
  });

  it('exports nothing without a doc comment at its definition', () => {
    const undocumented = [...docs].filter(([, doc]) => doc === '').map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it('exports every error class of errors.ts', () => {
    const classes = Object.entries(errors)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
      .map(([name]) => name);
    expect(classes).toContain('AutotunerError');
    const missing = classes.filter((name) => !(name in index));
    expect(missing).toEqual([]);
  });

  it("exports every building block README's taste of the API names", () => {
    const taste = readme.slice(readme.indexOf('## A taste of the API'), readme.indexOf('## Study options'));
    const blocks = taste.slice(taste.indexOf('The building blocks'));
    const names = [...blocks.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1] as string);
    // `Local`, `Docker`, `Kubernetes` name the three controller classes.
    const expected = names.map((name) =>
      /^(Local|Docker|Kubernetes)$/.test(name) ? `${name}Controller` : name,
    );
    expect(expected).toEqual(expect.arrayContaining(['runBenchmark', 'DockerController', 'sloPenalty']));
    const missing = expected.filter((name) => !docs.has(name));
    expect(missing).toEqual([]);
  });

  it('is what the examples import, and they import nothing else', () => {
    const dir = path.join(root, 'examples');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
      const local = specifiers.filter((s) => s.startsWith('.') || s.includes('src/'));
      expect(local, file).toEqual([]);
      for (const match of text.matchAll(/import \{([^}]*)\} from 'inference-autotuner'/g)) {
        const imported = (match[1] as string)
          .split(',')
          .map((name) => name.replace(/^\s*type\s+/, '').trim())
          .filter(Boolean);
        expect(
          imported.filter((name) => !docs.has(name)),
          file,
        ).toEqual([]);
      }
    }
  });
});
