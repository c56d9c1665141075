import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalController } from '../../../src/controllers/local/local-controller.js';
import type { LaunchSpec, ServerHandle } from '../../../src/controllers/types.js';
import { LaunchError, MissingSecretError } from '../../../src/errors.js';
import { readJournal } from '../../../src/tune/journal/read-journal.js';
import type { TuneOptionsInput } from '../../../src/tune/options-schema.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { restoreSecrets } from '../../../src/tune/restore-secrets.js';
import { study, tune } from '../../../src/tune/study.js';

const base: TuneOptionsInput = {
  model: 'llama-3.1-8b',
  sim: { gpu: 'a100-40gb' },
  fixedParams: { 'max-model-len': 4096 },
  space: { 'max-num-seqs': [16, 32, 64, 128] },
  load: { kind: 'concurrency', levels: [16] },
  objective: 'maximize_throughput',
};
const parsed = (extra: Partial<TuneOptionsInput>) => resolveOptions({ ...base, ...extra }).options;

describe('restoreSecrets', () => {
  it('takes each redacted secret from the environment variable of the same name', () => {
    const options = parsed({
      env: { TUNER_TEST_API_KEY: '[REDACTED]', VLLM_LOGGING_LEVEL: 'INFO' },
      hfToken: '[REDACTED]',
    });
    const restored = restoreSecrets(options, { TUNER_TEST_API_KEY: 'key-1234', HF_TOKEN: 'hf-5678' });
    expect(restored.env).toEqual({ TUNER_TEST_API_KEY: 'key-1234', VLLM_LOGGING_LEVEL: 'INFO' });
    expect(restored.hfToken).toBe('hf-5678');
  });

  it('leaves options without placeholders as they are', () => {
    const options = parsed({ env: { TUNER_TEST_API_KEY: 'real' }, hfToken: 'hf-real' });
    expect(restoreSecrets(options, {})).toEqual(options);
  });

  it.each([
    [{ env: { TUNER_TEST_API_KEY: '[REDACTED]' } }, {}, 'env.TUNER_TEST_API_KEY', /set TUNER_TEST_API_KEY/],
    [{ hfToken: '[REDACTED]' }, {}, 'hfToken', /set HF_TOKEN in the environment/],
    [{ env: { A_TOKEN: '[REDACTED]' } }, { A_TOKEN: '[REDACTED]' }, 'env.A_TOKEN', /set A_TOKEN/],
    [
      { extraArgs: ['--api-key', '[REDACTED]'] },
      {},
      'extraArgs[1]',
      /redacted in the journal: pass the study file/,
    ],
  ] as const)('%j with environment %j fails naming %s', (extra, environment, option, message) => {
    const error = (() => {
      try {
        restoreSecrets(parsed(extra as Partial<TuneOptionsInput>), environment);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MissingSecretError);
    expect(error).toMatchObject({ code: 'ERR_MISSING_SECRET', option });
    expect((error as Error).message).toContain(option);
    expect((error as Error).message).toMatch(message);
  });
});

// Records every launch spec and launches nothing: what a controller receives is what the engine would get.
class RecordingController extends LocalController {
  readonly specs: LaunchSpec[] = [];

  override async launch(spec: LaunchSpec): Promise<ServerHandle> {
    this.specs.push(spec);
    throw new LaunchError('recorded, not launched');
  }
}

describe('a study resumed from its journal alone', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resume-secrets-'));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  // Runs a one-trial estimate study with secrets and returns the options its journal header kept.
  async function journaledOptions(): Promise<Record<string, unknown>> {
    const journal = join(dir, 'study.jsonl');
    await tune(
      {
        ...base,
        name: 'resume-secrets',
        journal,
        baseline: false,
        budget: { maxTrials: 1 },
        env: { TUNER_TEST_API_KEY: 'key-live-0123456789', VLLM_LOGGING_LEVEL: 'INFO' },
        hfToken: 'hf_live0123456789abcdef',
      },
      { mode: 'estimate' },
    );
    const options = (await readJournal(journal)).header.options as Record<string, unknown>;
    expect(options['env']).toEqual({ TUNER_TEST_API_KEY: '[REDACTED]', VLLM_LOGGING_LEVEL: 'INFO' });
    return { ...options, budget: { maxTrials: 2 } };
  }

  it('fails before any launch, naming the secret the environment does not have', async () => {
    const options = await journaledOptions();
    vi.stubEnv('HF_TOKEN', 'hf_live0123456789abcdef');
    vi.stubEnv('TUNER_TEST_API_KEY', undefined);
    const controller = new RecordingController({ stateDir: join(dir, 'state') });
    expect(() => study(options as TuneOptionsInput, { resume: true, controller })).toThrow(
      /env\.TUNER_TEST_API_KEY is a secret the journal does not keep/,
    );
    expect(controller.specs).toEqual([]);
  });

  it('hands the engine the secrets from the environment, never a placeholder', async () => {
    const options = await journaledOptions();
    vi.stubEnv('HF_TOKEN', 'hf_live0123456789abcdef');
    vi.stubEnv('TUNER_TEST_API_KEY', 'key-live-0123456789');
    const controller = new RecordingController({ stateDir: join(dir, 'state') });
    const result = await tune(options as TuneOptionsInput, { resume: true, controller });
    expect(result.trials.filter((t) => t.phase === 'search')).toHaveLength(2);
    expect(controller.specs.length).toBeGreaterThan(0);
    for (const spec of controller.specs) {
      expect(spec.env['TUNER_TEST_API_KEY']).toBe('key-live-0123456789');
      expect(spec.secretEnv?.['HF_TOKEN']).toBe('hf_live0123456789abcdef');
      expect(JSON.stringify(spec)).not.toContain('[REDACTED]');
    }
  });
});
