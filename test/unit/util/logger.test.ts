// The library's logger: human lines by default (never raw JSON), JSON when asked, secrets redacted in both.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { humanLogLine } from '../../../src/util/human-log.js';
import { createLogger, defaultLogLevel } from '../../../src/util/logger.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/util/redact.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

afterEach(() => clearRegisteredSecrets());

describe('humanLogLine', () => {
  it.each([
    [
      {
        level: 30,
        time: 1,
        pid: 2,
        hostname: 'h',
        name: 'autotune',
        trial: 4,
        msg: 'trial 4 (search) feasible',
      },
      'autotune: trial 4 (search) feasible\n',
    ],
    [
      {
        level: 40,
        name: 'autotune',
        study: 's',
        reasons: ['p99 send lag 12 ms over 10 ms'],
        msg: 'client slow',
      },
      'autotune: warning: client slow (study: s; reasons: p99 send lag 12 ms over 10 ms)\n',
    ],
    [
      { level: 50, name: 'autotune', err: { type: 'Error', message: 'boom', stack: '...' }, msg: 'failed' },
      'autotune: error: failed (err: boom)\n',
    ],
    [
      { level: 20, name: 'autotune', params: { a: 1 }, gone: null, msg: 'launching' },
      'autotune: debug: launching (params: {"a":1})\n',
    ],
  ])('%j reads as one line', (record, line) => {
    expect(humanLogLine(JSON.stringify(record))).toBe(line);
  });

  it('passes a line that is not a record through', () => {
    expect(humanLogLine('plain text')).toBe('plain text\n');
  });
});

describe('createLogger', () => {
  it('writes human lines with format human, and redacts registered and well-known secrets', () => {
    registerSecret('registered-secret-value');
    const out = sink();
    const logger = createLogger({ format: 'human', level: 'info', destination: out.stream });
    logger
      .child({ study: 'demo' })
      .warn(
        { token: 'hf_abcdefghijklmnopqrstuvwxyz', note: 'uses registered-secret-value' },
        'trial 4 failed (crash): exited',
      );
    logger.debug('not at this level');
    expect(out.text()).toBe(
      'autotune: warning: trial 4 failed (crash): exited (study: demo; token: [REDACTED]; note: uses [REDACTED])\n',
    );
  });

  it('writes pino JSON records by default, redacted', () => {
    const out = sink();
    createLogger({ level: 'debug', destination: out.stream }).info(
      { apiKey: 'sk-abcdefghijklmnop' },
      'hello',
    );
    const record = JSON.parse(out.text()) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, name: 'autotune', msg: 'hello', apiKey: '[REDACTED]' });
  });
});

describe('defaultLogLevel', () => {
  it.each([
    [{ AUTOTUNE_LOG_LEVEL: 'debug' }, true, 'debug'],
    [{ AUTOTUNE_LOG_LEVEL: 'error' }, false, 'error'],
    [{}, true, 'info'],
    [{}, false, 'warn'],
  ])('env %j, stderr a terminal: %s -> %s', (env, tty, level) => {
    expect(defaultLogLevel(env, tty)).toBe(level);
  });
});
