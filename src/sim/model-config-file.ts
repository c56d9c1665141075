// Reads a model's config.json from a local folder or the Hugging Face cache (never the network) and describes it.
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelConfigError } from '../errors.js';
import type { ModelSpec } from './model-catalogue.js';
import { modelFromConfigJson } from './model-from-config.js';

/** Options of `modelFromConfig`. */
export interface ModelFromConfigOptions {
  /** Hugging Face hub cache folder. @default $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub */
  hubCacheDir?: string;
  /** Branch, tag or commit of a cached repository. @default 'main' */
  revision?: string;
  /** Environment read for HF_HUB_CACHE and HF_HOME. @default process.env */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const isDir = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() === true;
const isFile = async (p: string) => (await stat(p).catch(() => undefined))?.isFile() === true;

/** Hugging Face hub cache folder from the options or the environment. */
export function hubCacheDir(options: ModelFromConfigOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.hubCacheDir) return options.hubCacheDir;
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  return path.join(env.HF_HOME ?? path.join(os.homedir(), '.cache', 'huggingface'), 'hub');
}

// snapshots/<commit>/config.json of a cache entry `models--org--name`, the revision resolved through refs/.
async function snapshotConfig(
  entry: string,
  revision: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const ref = path.join(entry, 'refs', revision);
  const commit = (await isFile(ref)) ? (await readFile(ref, { encoding: 'utf8', signal })).trim() : revision;
  if (commit.includes('/') || commit.includes('..') || commit === '') return undefined;
  const file = path.join(entry, 'snapshots', commit, 'config.json');
  return (await isFile(file)) ? file : undefined;
}

interface Located {
  file: string;
  name: string;
  repoIds: string[];
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

async function locate(location: string, options: ModelFromConfigOptions): Promise<Located> {
  const { signal } = options;
  const revision = options.revision ?? 'main';
  if (path.basename(location) === 'config.json' && (await isFile(location)))
    return { file: location, name: path.basename(path.dirname(location)), repoIds: [] };
  if (await isDir(location)) {
    const cacheEntry = /^models--(.+?)--(.+)$/.exec(path.basename(location));
    if (cacheEntry) {
      const file = await snapshotConfig(location, revision, signal);
      if (file)
        return { file, name: cacheEntry[2] as string, repoIds: [`${cacheEntry[1]}/${cacheEntry[2]}`] };
    }
    const file = path.join(location, 'config.json');
    if (await isFile(file)) return { file, name: path.basename(path.resolve(location)), repoIds: [] };
    throw new ModelConfigError(location, undefined, undefined, 'is a folder without a config.json');
  }
  if (REPO_ID.test(location)) {
    const hub = hubCacheDir(options);
    const entry = path.join(hub, `models--${location.replace('/', '--')}`);
    const file = (await isDir(entry)) ? await snapshotConfig(entry, revision, signal) : undefined;
    if (file) return { file, name: location.split('/')[1] as string, repoIds: [location] };
    throw new ModelConfigError(
      location,
      undefined,
      undefined,
      `is not in the Hugging Face cache ${hub} at revision ${revision} (no download is attempted)`,
    );
  }
  throw new ModelConfigError(
    location,
    undefined,
    undefined,
    'is neither a model folder, a config.json nor a cached repository id',
  );
}

/**
 * Describes a model for the performance model from its config.json: `location` is a model folder, a config.json,
 * a Hugging Face cache entry folder or a repository id found in the cache. Throws ModelConfigError.
 */
export async function modelFromConfig(
  location: string,
  options: ModelFromConfigOptions = {},
): Promise<ModelSpec> {
  options.signal?.throwIfAborted();
  const found = await locate(location, options);
  let text: string;
  try {
    text = await readFile(found.file, { encoding: 'utf8', signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ModelConfigError(found.file, undefined, undefined, 'cannot be read', { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelConfigError(found.file, undefined, undefined, 'is not valid JSON', { cause: error });
  }
  return modelFromConfigJson(json, found.name, { file: found.file, repoIds: found.repoIds });
}
