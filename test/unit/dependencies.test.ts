// package.json's runtime dependencies are exactly the packages src/ loads at run time; bench/, test/ and
// scripts/ bring theirs as devDependencies.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

interface Imports {
  /** Specifiers loaded at run time: imports, re-exports, `import()`, `require()` / `createRequire(...)()`, `.resolve()`. */
  value: Set<string>;
  /** Specifiers only types come from (erased from the JavaScript). */
  typeOnly: Set<string>;
}

// Every module specifier a file loads, split by whether it survives into the JavaScript.
function importsOf(file: string, into: Imports): void {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean): void => {
    if (specifier && ts.isStringLiteralLike(specifier))
      (typeOnly ? into.typeOnly : into.value).add(specifier.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, allTypes);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const loads =
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        (ts.isCallExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'createRequire');
      // `require.resolve('pkg')` / `createRequire(url).resolve('pkg')`: the package's files are read at run time.
      const resolves =
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'resolve' &&
        ((ts.isIdentifier(callee.expression) && callee.expression.text === 'require') ||
          (ts.isCallExpression(callee.expression) &&
            ts.isIdentifier(callee.expression.expression) &&
            callee.expression.expression.text === 'createRequire'));
      if (loads || resolves) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

// The package a bare specifier names (`@scope/name/sub` -> `@scope/name`); undefined for relative paths and builtins.
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return builtinModules.includes(name) ? undefined : name;
}

function packagesImportedBy(dir: string): { value: string[]; typeOnly: string[] } {
  const imports: Imports = { value: new Set(), typeOnly: new Set() };
  for (const file of sourceFiles(path.join(root, dir))) importsOf(file, imports);
  const names = (specifiers: Set<string>) =>
    [...new Set([...specifiers].map(packageOf).filter((p): p is string => p !== undefined))].sort();
  return { value: names(imports.value), typeOnly: names(imports.typeOnly) };
}

describe('package.json dependencies', () => {
  const src = packagesImportedBy('src');
  const dependencies = Object.keys(pkg.dependencies ?? {}).sort();
  const devDependencies = Object.keys(pkg.devDependencies ?? {});

  // Resolved by src only when it runs as TypeScript (tests start the simulator through tsx's loader); an installed
  // package runs the compiled JavaScript and never asks for them.
  const sourceOnly = ['tsx'];

  it('are exactly the packages src loads at run time', () => {
    expect(src.value).toContain('zod');
    expect(src.value).toContain('uplot');
    expect(dependencies).toEqual(src.value.filter((name) => !sourceOnly.includes(name)));
  });

  it('leave what src resolves only when it runs as TypeScript to devDependencies', () => {
    for (const name of sourceOnly) {
      expect(src.value).toContain(name);
      expect(devDependencies).toContain(name);
    }
  });

  it('cover the packages src takes only types from (themselves, or their @types as devDependencies)', () => {
    const missing = src.typeOnly.filter(
      (name) =>
        !dependencies.includes(name) &&
        !devDependencies.includes(`@types/${name.replace(/^@(.*)\//, '$1__')}`),
    );
    expect(missing).toEqual([]);
  });

  it('include, as devDependencies, every package bench/, test/ and examples/ load that src does not', () => {
    const declared = new Set([...dependencies, ...devDependencies, 'inference-autotuner']);
    const missing = ['bench', 'test', 'examples']
      .flatMap((dir) => packagesImportedBy(dir).value)
      .filter((name) => !declared.has(name));
    expect([...new Set(missing)]).toEqual([]);
  });
});
