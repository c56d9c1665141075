import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { buildCliArgs } from '../../../src/runtimes/cli-args.js';
import { loadRegistry, loadRegistryFile, parseRegistry } from '../../../src/runtimes/registry.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';
import { validateParams } from '../../../src/runtimes/validate-params.js';

describe('loadRegistry', () => {
  it.each([
    ['vllm', '--max-num-seqs'],
    ['sglang', '--max-running-requests'],
    ['llamacpp', '--ctx-size'],
  ] as const)('%s knows %s', (engine, flag) => {
    const registry = loadRegistry(engine);
    expect(registry.bySpelling.get(flag)?.name).toBeDefined();
    expect(registry.flags.length).toBeGreaterThan(100);
  });

  it.each([
    ['vllm', 'vLLM 0.22.0', /vllm-openai:v0\.22\.0/],
    [
      'sglang',
      'SGLang @ 001067fffe33',
      /sgl-project\/sglang python\/sglang\/srt\/server_args\.py @ 001067fffe33/,
    ],
    ['llamacpp', 'llama.cpp @ 00dc8057ab28', /ggml-org\/llama\.cpp tools\/server\/README\.md/],
  ] as const)('%s keeps its engine version and source line', (engine, version, source) => {
    const registry = loadRegistry(engine);
    expect(registry.engineVersion).toBe(version);
    expect(registry.sourceLine).toMatch(source);
  });
});

describe('user-supplied registries (another engine version)', () => {
  const older = {
    engine: 'vllm',
    command: 'vllm serve',
    engine_version: '0.10.2',
    source: { primary: { repo: 'example/vllm-fork', path: 'arg_utils.py', commit: 'abcdef1234567890' } },
    boolean_style: 'BooleanOptionalAction',
    flags: [
      { name: '--swap-space', aliases: [], type: 'float', default: 4 },
      { name: '--max-num-seqs', aliases: [], type: 'int' },
      { name: '--port', aliases: [], type: 'int' },
    ],
  };

  it('loads from a file and validates against that version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    const path = join(dir, 'vllm-0.10.json');
    writeFileSync(path, JSON.stringify(older));
    const adapter = getRuntime('vllm', { registry: path });
    expect(adapter.registry.engineVersion).toBe('vLLM 0.10.2');
    expect(adapter.defaultImage).toBe('vllm/vllm-openai:v0.10.2');
    expect(buildCliArgs({ 'swap-space': 8 }, adapter)).toEqual(['--swap-space', '8']);
    expect(validateParams({ 'enable-prefix-caching': true }, adapter).problems[0]?.message).toMatch(
      /vLLM 0\.10\.2/,
    );
    // The bundled adapter still refuses the flag vLLM 0.22 dropped.
    expect(validateParams({ 'swap-space': 8 }, 'vllm').ok).toBe(false);
  });

  it.each([
    ['not an object', 42, /registry/],
    ['no flags', { engine: 'vllm', flags: [] }, /flags/],
    ['flag without name', { engine: 'vllm', flags: [{ type: 'int' }] }, /flags\[0\]\.name/],
    ['flag without type', { engine: 'vllm', flags: [{ name: '--x' }] }, /flags\[0\]\.type/],
  ])('rejects a malformed document: %s', (_name, document, message) => {
    expect(() => parseRegistry(document)).toThrow(InvalidOptionError);
    expect(() => parseRegistry(document)).toThrow(message);
  });

  it('names an unreadable file', () => {
    expect(() => loadRegistryFile('/nonexistent/registry.json')).toThrow(/nonexistent\/registry\.json/);
  });
});
