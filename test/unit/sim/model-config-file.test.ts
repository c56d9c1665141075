// modelFromConfig reads a model folder, a config.json or the Hugging Face cache layout (refs -> snapshots).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelConfigError } from '../../../src/errors.js';
import { modelFromConfig } from '../../../src/sim/model-config-file.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/models');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'model-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A hub cache holding `org/name` at `commit`, with refs/main pointing at it.
function cacheEntry(hub: string, repoId: string, fixture: string, commit: string): string {
  const entry = path.join(hub, `models--${repoId.replace('/', '--')}`);
  mkdirSync(path.join(entry, 'refs'), { recursive: true });
  mkdirSync(path.join(entry, 'snapshots', commit), { recursive: true });
  writeFileSync(path.join(entry, 'refs', 'main'), `${commit}\n`);
  cpSync(path.join(fixtures, fixture, 'config.json'), path.join(entry, 'snapshots', commit, 'config.json'));
  return entry;
}

describe('modelFromConfig', () => {
  const hub = path.join(tmp, 'hf-home', 'hub');
  const entry = cacheEntry(hub, 'Qwen/Qwen3-8B', 'qwen3-8b', 'a1b2c3');
  // A second revision not on main: reached by commit.
  mkdirSync(path.join(entry, 'snapshots', 'd4e5f6'));
  cpSync(
    path.join(fixtures, 'qwen3-30b-a3b', 'config.json'),
    path.join(entry, 'snapshots', 'd4e5f6', 'config.json'),
  );

  it('reads a local model folder and a config.json path', async () => {
    const folder = path.join(fixtures, 'llama-3.1-8b-instruct');
    const byFolder = await modelFromConfig(folder);
    expect(byFolder).toMatchObject({ name: 'llama-3.1-8b-instruct', layers: 32, paramsB: 8.03 });
    expect(byFolder.source).toBe(path.join(folder, 'config.json'));
    expect(await modelFromConfig(path.join(folder, 'config.json'))).toEqual(byFolder);
  });

  it('finds a repository id in the cache through refs/main, from HF_HOME or an explicit folder', async () => {
    const env = { HF_HOME: path.join(tmp, 'hf-home') };
    const model = await modelFromConfig('Qwen/Qwen3-8B', { env });
    expect(model).toMatchObject({ name: 'qwen3-8b', repoIds: ['Qwen/Qwen3-8B'], layers: 36 });
    expect(model.source).toBe(path.join(entry, 'snapshots', 'a1b2c3', 'config.json'));
    expect((await modelFromConfig('Qwen/Qwen3-8B', { hubCacheDir: hub, env: {} })).layers).toBe(36);
    expect((await modelFromConfig('Qwen/Qwen3-8B', { env: { HF_HUB_CACHE: hub } })).layers).toBe(36);
    expect((await modelFromConfig('Qwen/Qwen3-8B', { env, revision: 'd4e5f6' })).moe?.numExperts).toBe(128);
  });

  it('reads a cache entry folder given directly', async () => {
    expect(await modelFromConfig(entry)).toMatchObject({ name: 'qwen3-8b', repoIds: ['Qwen/Qwen3-8B'] });
  });

  it.each([
    ['Qwen/Not-Cached', /not in the Hugging Face cache .*no download/],
    [path.join(tmp, 'missing-folder'), /neither a model folder/],
    [tmp, /folder without a config.json/],
  ])('%s is a ModelConfigError', async (location, message) => {
    const promise = modelFromConfig(location, { env: { HF_HOME: path.join(tmp, 'hf-home') } });
    await expect(promise).rejects.toBeInstanceOf(ModelConfigError);
    await expect(promise).rejects.toThrow(message);
  });

  it('a config.json that is not JSON names the file', async () => {
    const folder = path.join(tmp, 'garbled');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'config.json'), '{"model_type": "llama",');
    await expect(modelFromConfig(folder)).rejects.toThrow(/garbled\/config\.json: is not valid JSON/);
  });

  it('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      modelFromConfig(path.join(fixtures, 'qwen3-8b'), { signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
