import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { carriesToken, checkUiAccess, isLoopback } from '../../../src/ui/ui-access.js';

const TOKEN = 'a-token-of-enough-length';

describe('dashboard access', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['example.org', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it.each(['0.0.0.0', '::', '10.0.0.5'])('refuses to bind %s without a token, naming host', (host) => {
    expect(() => checkUiAccess(host, undefined)).toThrow(InvalidOptionError);
    expect(() => checkUiAccess(host, undefined)).toThrow(/Invalid option host.*--token/);
    expect(() => checkUiAccess(host, TOKEN)).not.toThrow();
  });

  it('binds loopback without a token and refuses a short token without echoing it', () => {
    expect(() => checkUiAccess('127.0.0.1', undefined)).not.toThrow();
    expect(() => checkUiAccess('127.0.0.1', 'short')).toThrow(/token.*16 characters/);
    expect(() => checkUiAccess('127.0.0.1', 'short')).not.toThrow(/"short"/);
  });

  it.each([
    [{ authorization: `Bearer ${TOKEN}` }, true],
    [{ query: TOKEN }, true],
    [{ cookie: TOKEN }, true],
    [{ authorization: `Bearer ${TOKEN}x` }, false],
    [{ query: TOKEN.slice(1) }, false],
    [{}, false],
  ])('a request with %j carries the token: %s', (request, carries) => {
    expect(carriesToken(TOKEN, request)).toBe(carries);
  });
});
