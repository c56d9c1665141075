// The llama.cpp adapter against the real `llama-server --help` of the test image (Debian sid build).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCliArgs } from '../../../src/runtimes/cli-args.js';
import { QUANTIZATION_PRESETS } from '../../../src/runtimes/presets.js';
import type { SpaceEntry } from '../../../src/runtimes/runtime-adapter.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';

const helpText = readFileSync(
  new URL('../../fixtures/llamacpp/llama-server-help.txt', import.meta.url),
  'utf8',
);

// Every option line starts at column 0 with a dash; its continuation lines are indented.
function parseHelp(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let spellings: string[] = [];
  let block = '';
  const flush = () => {
    for (const s of spellings) blocks.set(s, block);
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('-')) {
      flush();
      // The description column starts at 40; longer option lists run on without one.
      const head = line.length > 40 && line.slice(38, 40) === '  ' ? line.slice(0, 40) : line;
      spellings = head
        .split(',')
        .map((part) => part.trim().split(/\s+/)[0] ?? '')
        .filter((s) => s.startsWith('-'));
      block = line;
    } else if (/^\s/.test(line)) {
      block += `\n${line}`;
    }
  }
  flush();
  return blocks;
}

// Values a help block allows: `{a,b,c}` in the header or an `allowed values:` line.
function allowedValues(block: string): string[] | undefined {
  const braces = /\{([^}]+)\}/.exec(block.split('\n')[0] ?? '');
  if (braces?.[1]) return braces[1].split(',').map((v) => v.trim());
  const listed = /allowed values: ([^\n]+)/.exec(block);
  return listed?.[1]?.split(',').map((v) => v.trim());
}

function entryValues(entry: SpaceEntry): unknown[] {
  return 'values' in entry ? [...entry.values] : [entry.low, entry.high];
}

const help = parseHelp(helpText);
const adapter = getRuntime('llamacpp');

// Every (flag, value) pair the adapter can emit from its default space and its presets.
function emittedArgs(): string[][] {
  const argvs: string[][] = [];
  for (const [name, entry] of Object.entries(adapter.defaultSearchSpace())) {
    for (const value of entryValues(entry)) argvs.push(buildCliArgs({ [name]: value }, adapter));
  }
  for (const [preset, byEngine] of Object.entries(QUANTIZATION_PRESETS)) {
    if ('flags' in byEngine.llamacpp) argvs.push(buildCliArgs({ 'quant-preset': preset }, adapter));
  }
  for (const preset of ['tp1', 'tp2', 'pp2', 'pp4'])
    argvs.push(buildCliArgs({ 'parallel-preset': preset }, adapter));
  argvs.push(buildCliArgs({ metrics: true, 'cont-batching': false, 'cache-prompt': false }, adapter));
  return argvs;
}

describe('llama-server --help of the test image', () => {
  it('parses the help into option spellings', () => {
    expect(help.size).toBeGreaterThan(150);
    expect(help.has('--ctx-size') && help.has('-c') && help.has('--no-cont-batching')).toBe(true);
  });

  it('knows every flag the adapter emits, with allowed values', () => {
    const argvs = emittedArgs();
    expect(argvs.flat()).toContain('--split-mode');
    for (const argv of argvs) {
      for (let i = 0; i < argv.length; i++) {
        const word = argv[i] ?? '';
        if (!word.startsWith('-') || /^-\d/.test(word)) continue;
        const block = help.get(word);
        expect(block, `${word} missing from llama-server --help`).toBeDefined();
        const allowed = block ? allowedValues(block) : undefined;
        const value = argv[i + 1];
        if (allowed && value !== undefined && !value.startsWith('-')) {
          expect(allowed, `${word} ${value}`).toContain(value);
        }
      }
    }
  });

  it('reserved flags exist too (model, host and port are set by the adapter and the controller)', () => {
    for (const flag of ['-m', adapter.hostFlag, adapter.portFlag, adapter.metrics.enableFlag ?? '']) {
      expect(help.has(flag), flag).toBe(true);
    }
  });
});
