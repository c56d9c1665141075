// GET a small JSON document from a server (version and info endpoints), with a timeout and no kept socket.
import { get } from 'node:http';
import { get as httpsGet } from 'node:https';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The parsed JSON answer of GET `url`, or undefined when the server does not answer 200 with JSON within
 * `timeoutMs`. Rejects only with the signal's reason when it aborts.
 */
export function getJson(
  url: URL,
  { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
): Promise<unknown> {
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsGet : get)(url, {
      agent: false,
      headers: { accept: 'application/json' },
    });
    let settled = false;
    const finish = (value: unknown, aborted = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      request.destroy();
      if (aborted) reject(signal?.reason);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const onAbort = (): void => finish(undefined, true);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', () => finish(undefined));
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return finish(undefined);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) finish(undefined);
        else chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          finish(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          finish(undefined);
        }
      });
      response.on('error', () => finish(undefined));
    });
  });
}
