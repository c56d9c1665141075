import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { NvidiaSmiProbe } from '../../../src/gpu/nvidia-smi-probe.js';
import { parseNvidiaSmiXml } from '../../../src/gpu/nvidia-smi-xml.js';
import { readSmiFixture, smiFixturePath } from './fixtures.js';

const fake = (name: string): string => smiFixturePath(`fake-nvidia-smi-${name}.sh`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, limitMs = 10_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < limitMs; ) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isAlive(pid);
}

async function readPid(file: string, limitMs = 10_000): Promise<number> {
  for (const started = Date.now(); Date.now() - started < limitMs; ) {
    try {
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (pid > 0) return pid;
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no pid in ${file}`);
}

describe('NvidiaSmiProbe', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    delete process.env['FAKE_NVIDIA_SMI_PID_FILE'];
  });

  // This machine has no nvidia-smi: the real missing-binary path, through both backends.
  it.each(['exec', 'node-nvidia-smi'] as const)(
    'reports no GPUs visible when nvidia-smi is missing (%s)',
    async (backend) => {
      const result = await new NvidiaSmiProbe({ backend }).probe();
      expect(result).toStrictEqual({
        gpus: [],
        source: 'nvidia-smi',
        reason: 'no NVIDIA GPUs visible: nvidia-smi not found on PATH',
      });
    },
  );

  it('names a missing absolute command', async () => {
    const result = await new NvidiaSmiProbe({ command: '/nonexistent/nvidia-smi' }).probe();
    expect(result.reason).toBe('no NVIDIA GPUs visible: /nonexistent/nvidia-smi not found');
  });

  it('parses what the command prints', async () => {
    const result = await new NvidiaSmiProbe({ command: fake('t4') }).probe();
    expect(result).toStrictEqual({
      gpus: parseNvidiaSmiXml(readSmiFixture('telegraf__tesla-t4.xml')),
      source: 'nvidia-smi',
    });
    expect(result.gpus[0]?.name).toBe('Tesla T4');
  });

  it.each([
    [
      'no-driver',
      /^no NVIDIA GPUs visible: .* failed \(exit code 9\): NVIDIA-SMI has failed because it couldn't communicate/,
    ],
    ['garbage', /^could not parse .* -q -x output: Invalid option xml: .*\(Unclosed root tag\)$/],
    ['empty', /^no NVIDIA GPUs visible: nvidia-smi lists no GPUs$/],
    ['crash', /^no NVIDIA GPUs visible: .* failed \(signal SIGSEGV\)/],
  ])('turns the %s case into an empty result with a reason', async (name, reason) => {
    const result = await new NvidiaSmiProbe({ command: fake(name) }).probe();
    expect(result.gpus).toStrictEqual([]);
    expect(result.reason).toMatch(reason);
  });

  it('reports a non-zero exit of a real process', async () => {
    const result = await new NvidiaSmiProbe({ command: process.execPath }).probe();
    expect(result.reason).toMatch(/failed \(exit code 9\): .*bad option: -q/);
  });

  it('kills a hung nvidia-smi after the timeout', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gpu-probe-'));
    process.env['FAKE_NVIDIA_SMI_PID_FILE'] = join(dir, 'pid');
    const result = await new NvidiaSmiProbe({ command: fake('hang'), timeoutMs: 1000 }).probe();
    expect(result.reason).toMatch(/did not answer within 1000 ms$/);
    expect(await waitUntilGone(await readPid(join(dir, 'pid')))).toBe(true);
  });

  it('rejects with the signal reason and kills the child when aborted', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gpu-probe-'));
    process.env['FAKE_NVIDIA_SMI_PID_FILE'] = join(dir, 'pid');
    const controller = new AbortController();
    const probing = new NvidiaSmiProbe({ command: fake('hang') }).probe({ signal: controller.signal });
    const pid = await readPid(join(dir, 'pid'));
    const reason = new Error('study stopped');
    controller.abort(reason);
    await expect(probing).rejects.toBe(reason);
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it.each(['exec', 'node-nvidia-smi'] as const)('rejects an already aborted signal (%s)', async (backend) => {
    const reason = new Error('no');
    await expect(new NvidiaSmiProbe({ backend }).probe({ signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });

  it.each<[string, object, string]>([
    ['an empty command', { command: '' }, 'command'],
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs'],
    ['an unknown backend', { backend: 'nvml' }, 'backend'],
    ['a command with node-nvidia-smi', { backend: 'node-nvidia-smi', command: '/opt/nvidia-smi' }, 'command'],
  ])('rejects %s', (_name, options, option) => {
    expect(() => new NvidiaSmiProbe(options as never)).toThrow(InvalidOptionError);
    expect(() => new NvidiaSmiProbe(options as never)).toThrow(expect.objectContaining({ option }));
  });
});
