// Each test file leases GPUs in a directory of its own (the studies and CLI children it starts inherit it), so
// that test files running side by side, which declare the same static inventories, do not wait on each other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { GPU_LEASES_DIR_ENV } from '../../src/gpu/gpu-lease-dir.js';

const dir = mkdtempSync(path.join(tmpdir(), 'autotune-test-leases-'));
process.env[GPU_LEASES_DIR_ENV] = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
