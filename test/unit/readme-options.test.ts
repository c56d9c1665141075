// README's "Study options" table against the source: the options the schema accepts, and the `@default` of
// each on TuneOptions (src/tune/tune-options.ts), which in turn must equal the schema's own default.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tuneOptionsSchema } from '../../src/tune/options-schema.js';

const root = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const optionsFile = path.join(root, 'src/tune/tune-options.ts');

interface SourceOption {
  optional: boolean;
  /** Text of the `@default` tag, undefined without one. */
  default: string | undefined;
}

// The top-level fields of the TuneOptions type with their `@default` tags.
function sourceOptions(): Map<string, SourceOption> {
  const file = ts.createSourceFile(
    optionsFile,
    readFileSync(optionsFile, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const declaration = file.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'TuneOptions',
  );
  if (!declaration || !ts.isTypeLiteralNode(declaration.type)) throw new Error('TuneOptions not found');
  const options = new Map<string, SourceOption>();
  for (const member of declaration.type.members) {
    if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
    const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
    options.set(member.name.text, {
      optional: member.questionToken !== undefined,
      default: tag ? (ts.getTextOfJSDocComment(tag.comment) ?? '') : undefined,
    });
  }
  return options;
}

interface TableRow {
  options: string[];
  default: string;
}

// The rows of the table under "## Study options": options (backticked names) and the default column.
function readmeRows(): TableRow[] {
  const section = readme.slice(readme.indexOf('## Study options'));
  const table = section.slice(0, section.indexOf('\n#'));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split(' | ');
      return {
        options: [...(cells[0] as string).matchAll(/`([^`]+)`/g)].map((m) => m[1] as string),
        default: cells[1] as string,
      };
    });
}

// Backticks and spacing do not matter; `–` is how the table writes "none".
const normalise = (text: string): string => {
  const plain = text.replace(/`/g, '').replace(/\s+/g, ' ').trim();
  return plain === '–' ? 'none' : plain;
};

// A `@default` that is a JavaScript literal (`'sim'`, `{ maxTrials: 20 }`, `600_000`), else undefined.
function literal(text: string): { value: unknown } | undefined {
  if (!/^(['{[\d]|true$|false$)/.test(text)) return undefined;
  return { value: new Function(`return (${text});`)() };
}

describe("README's study options table", () => {
  const source = sourceOptions();
  const rows = readmeRows();
  const listed = rows.flatMap((row) => row.options);

  it('lists every option the schema accepts, once, and nothing else', () => {
    const accepted = Object.keys(tuneOptionsSchema.shape).sort();
    expect([...listed].sort()).toEqual(accepted);
    expect([...source.keys()].sort()).toEqual(accepted);
  });

  it.each(rows.flatMap((row) => row.options.map((option) => [option, row.default] as const)))(
    '%s: the default README states is the @default of TuneOptions',
    (option, readmeDefault) => {
      const documented = source.get(option);
      expect(documented).toBeDefined();
      if (!documented?.optional) {
        expect(readmeDefault).toBe('(required)');
        return;
      }
      expect(documented.default, `TuneOptions.${option} has no @default`).toBeDefined();
      expect(normalise(readmeDefault)).toBe(normalise(documented.default ?? ''));
    },
  );

  it.each([...Object.keys(tuneOptionsSchema.shape)])(
    '%s: a @default that is a value equals the default the schema applies',
    (option) => {
      const schema = tuneOptionsSchema.shape[option as keyof typeof tuneOptionsSchema.shape];
      const parsed = schema.safeParse(undefined);
      const applied = parsed.success ? parsed.data : undefined;
      const documented = source.get(option)?.default;
      // No default in the schema: computed later (from the runtime, the GPUs, the name ...), or none.
      if (applied === undefined) return;
      expect(documented, `TuneOptions.${option} has no @default`).toBeDefined();
      expect(literal(documented ?? '')?.value).toEqual(applied);
    },
  );
});
