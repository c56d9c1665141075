// Who may reach the dashboard: a loopback address by default; any other address only with an access token, which
// every request then carries (bearer header, `?token=` once, then a cookie).
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { InvalidOptionError } from '../errors.js';

/** Name of the cookie that carries the token after a first visit with `?token=`. */
export const TOKEN_COOKIE = 'autotune_ui_token';

/** Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '::ffff:127.0.0.1';
}

/**
 * Checks the address and token before anything listens: a non-loopback address without a token is refused (the
 * dashboard shows studies and starts work); a token must be long enough not to be guessed.
 */
export function checkUiAccess(host: string, token: string | undefined): void {
  if (typeof host !== 'string' || host === '')
    throw new InvalidOptionError('host', host, 'an address to bind');
  if (token !== undefined && (typeof token !== 'string' || token.length < 16)) {
    throw new InvalidOptionError('token', '[REDACTED]', 'at least 16 characters');
  }
  if (!isLoopback(host) && token === undefined) {
    throw new InvalidOptionError(
      'host',
      host,
      'a loopback address (127.0.0.1, ::1, localhost); any other address needs an access token (--token)',
    );
  }
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Whether a request carries the token, in its Authorization header, its `token` query parameter or its cookie. */
export function carriesToken(
  token: string,
  request: { authorization?: string | undefined; query?: string | undefined; cookie?: string | undefined },
): boolean {
  const bearer = request.authorization?.match(/^Bearer (.+)$/)?.[1];
  return [bearer, request.query, request.cookie].some((given) => given !== undefined && same(given, token));
}
