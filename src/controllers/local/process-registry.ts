// On-disk registry of the process groups this library started, so a later run can reap what a killed tuner left.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One started engine process group. */
export interface RegistryEntry {
  /** Server id; also the marker in the environment of every process of the group. */
  id: string;
  pid: number;
  pgid: number;
  /** Kernel start time of the leader (Linux), to tell a reused pid apart. */
  startTime: string | undefined;
  /** Sanitised study label value. */
  study: string;
  trial: string;
  run: string;
  /** Host of the tuner that started the group (label value); absent in entries of older versions. */
  ownerHost?: string;
  /** Pid of the tuner that started the group. */
  ownerPid?: number;
  command: string;
  port: number;
  logFile: string;
  createdAtMs: number;
}

/** Default state directory of the local controller: `<tmpdir>/inference-autotuner-<uid>` (one per user on shared hosts). */
export function defaultStateDir(): string {
  return path.join(os.tmpdir(), `inference-autotuner-${process.getuid?.() ?? os.userInfo().username}`);
}

/** Reads and writes registry entries under `<stateDir>/local/`. */
export class ProcessRegistry {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'local');
  }

  /** Records an entry (atomically: written to a temporary file, then renamed). */
  add(entry: RegistryEntry): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.file(entry.id);
    writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    renameSync(`${file}.tmp`, file);
  }

  remove(id: string): void {
    rmSync(this.file(id), { force: true });
  }

  /** Every readable entry (unreadable files are skipped: they may be half-written by another process). */
  list(): RegistryEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const entries: RegistryEntry[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        entries.push(JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as RegistryEntry);
      } catch {
        // Skipped on purpose.
      }
    }
    return entries;
  }

  private file(id: string): string {
    return path.join(this.dir, `${id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  }
}
