// The studies folder: its journals (`*.jsonl` in the folder and in its `.autotune/`), named by their path relative
// to the folder; nothing outside the folder can be named.
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidOptionError } from '../errors.js';

/** A journal of the folder: `id` is its path relative to the folder, with `/`. */
export interface FolderJournal {
  id: string;
  path: string;
  mtimeMs: number;
  bytes: number;
}

const SUBFOLDERS = ['', '.autotune'];

/** The folder's journals, newest first. */
export async function listJournals(root: string): Promise<FolderJournal[]> {
  const found: FolderJournal[] = [];
  for (const sub of SUBFOLDERS) {
    const dir = path.join(root, sub);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      found.push({ id: sub ? `${sub}/${name}` : name, path: file, mtimeMs: info.mtimeMs, bytes: info.size });
    }
  }
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/**
 * The file of journal `id` inside the folder. Refused (InvalidOptionError on `journal`) unless it names a `.jsonl`
 * file in the folder or its `.autotune/`, after resolving `..` and symbolic links.
 */
export async function resolveJournal(root: string, id: unknown): Promise<string> {
  const refuse = () => new InvalidOptionError('journal', id, 'a journal (.jsonl) of the studies folder');
  if (typeof id !== 'string' || id.includes('\0') || !id.endsWith('.jsonl') || path.isAbsolute(id))
    throw refuse();
  const parts = id.split('/');
  const sub = parts.length === 2 ? parts[0] : '';
  if (
    parts.length > 2 ||
    !SUBFOLDERS.includes(sub ?? '') ||
    parts.some((p) => p === '' || p === '..' || p === '.')
  ) {
    throw refuse();
  }
  const realRoot = await realpath(root);
  const file = await realpath(path.join(realRoot, id)).catch(() => undefined);
  if (file === undefined) throw refuse();
  const inside = path.relative(realRoot, file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) throw refuse();
  return file;
}
