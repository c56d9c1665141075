// One GET of a small text page through a given agent, with its own timeout, cut short by a stop signal.
import { type Agent, get } from 'node:http';
import { type Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { errorMessage } from '../errors.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The page's text, or why there is none (an HTTP status, a timeout, a socket error, `stopped`). */
export type TextOutcome = { text: string } | { reason: string; status?: number };

/** Never rejects: every failure comes back as a reason. */
export function httpGetText(
  url: URL,
  options: { agent: Agent | HttpsAgent; accept: string; timeoutMs: number; stopSignal?: AbortSignal },
): Promise<TextOutcome> {
  const { agent, accept, timeoutMs, stopSignal } = options;
  return new Promise((resolve) => {
    const request =
      url.protocol === 'https:'
        ? httpsGet(url, { agent: agent as HttpsAgent, headers: { accept } })
        : get(url, { agent: agent as Agent, headers: { accept } });
    let settled = false;
    const finish = (outcome: TextOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopSignal?.removeEventListener('abort', onStop);
      resolve(outcome);
    };
    const fail = (reason: string): void => {
      finish({ reason });
      request.destroy();
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    const onStop = (): void => fail('stopped');
    stopSignal?.addEventListener('abort', onStop, { once: true });
    request.on('error', (error) => fail(errorMessage(error)));
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return finish({ reason: `HTTP ${response.statusCode}`, status: response.statusCode ?? 0 });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) fail(`answer larger than ${MAX_BODY_BYTES} bytes`);
        else chunks.push(chunk);
      });
      response.on('end', () => finish({ text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => fail(errorMessage(error)));
    });
  });
}
