// Readiness wait strategies: one probe each (HTTP status on a path, a log line, all of several).

import http from 'node:http';
import https from 'node:https';
import { errorMessage, InvalidArgumentError } from '../errors.js';
import type { ReadinessSpec } from './types.js';

/** What a probe can look at. */
export interface ReadinessContext {
  /** Base URL of the server, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** The current (redacted) log tail of the server. */
  logs(): string | Promise<string>;
  /** Aborted when the whole wait ends (ready, exit, timeout or caller abort). */
  signal: AbortSignal;
}

/** Outcome of one probe; `detail` says what was seen (shown in timeout errors). */
export interface ProbeResult {
  ready: boolean;
  detail: string;
}

/** A readiness condition checked repeatedly until it holds. */
export interface WaitStrategy {
  readonly description: string;
  /** One probe; "not yet" is `{ ready: false }`, never an exception. */
  check(context: ReadinessContext): Promise<ProbeResult>;
}

/** Options of `httpWait`. */
export interface HttpWaitOptions {
  /** Status codes that mean ready. @default any 2xx */
  statusCodes?: readonly number[];
  /** Budget of one request. @default 2_000 */
  requestTimeoutMs?: number;
}

/** GETs one URL and resolves its status code (body discarded, no connection kept alive). */
export function httpStatus(
  url: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(
      url,
      { agent: false, signal: options.signal, timeout: options.timeoutMs ?? 2_000 },
      (response) => {
        response.on('error', () => {});
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/** Ready when GET `path` answers with an accepted status code. */
export function httpWait(path: string, options: HttpWaitOptions = {}): WaitStrategy {
  const accepted = options.statusCodes;
  const normalised = path.startsWith('/') ? path : `/${path}`;
  return {
    description: `GET ${normalised} answers ${accepted ? accepted.join('/') : '2xx'}`,
    async check(context) {
      const url = `${context.baseUrl.replace(/\/+$/, '')}${normalised}`;
      try {
        const status = await httpStatus(url, {
          signal: context.signal,
          timeoutMs: options.requestTimeoutMs ?? 2_000,
        });
        const ready = accepted ? accepted.includes(status) : status >= 200 && status < 300;
        return { ready, detail: `GET ${normalised} -> ${status}` };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        const reason = typeof code === 'string' ? code : errorMessage(error);
        return { ready: false, detail: `GET ${normalised} -> ${reason}` };
      }
    },
  };
}

/** Ready when a log line matches `pattern` (at least `times` lines in the kept tail). */
export function logLineWait(pattern: RegExp, times = 1): WaitStrategy {
  const global = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  return {
    description: `log matches ${pattern} ${times}x`,
    async check(context) {
      const lines = (await context.logs()).split('\n');
      const count = lines.filter((line) => global.test(line)).length;
      return { ready: count >= times, detail: `log matched ${count}/${times}x` };
    },
  };
}

/** Ready when every strategy is ready, checked in order (stops at the first that is not). */
export function compositeWait(strategies: readonly WaitStrategy[]): WaitStrategy {
  if (strategies.length === 0)
    throw new InvalidArgumentError('strategies', strategies, 'at least one wait strategy');
  return {
    description: strategies.map((s) => s.description).join(' and '),
    async check(context) {
      const details: string[] = [];
      for (const strategy of strategies) {
        const result = await strategy.check(context);
        details.push(result.detail);
        if (!result.ready) return { ready: false, detail: details.join('; ') };
      }
      return { ready: true, detail: details.join('; ') };
    },
  };
}

/** The strategy a launch spec asks for: its health path, then every extra path. */
export function strategyFromSpec(readiness: ReadinessSpec): WaitStrategy {
  const paths = [readiness.path, ...(readiness.alsoPaths ?? [])];
  const strategies = paths.map((path) => httpWait(path));
  return strategies.length === 1 ? (strategies[0] as WaitStrategy) : compositeWait(strategies);
}
