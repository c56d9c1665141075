// GET a small JSON or text document from a server (version, info and metrics endpoints), with a timeout and no
// kept socket.
import { get } from 'node:http';
import { get as httpsGet } from 'node:https';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The parsed JSON answer of GET `url`, or undefined when the server does not answer 200 with JSON within
 * `timeoutMs`. Rejects only with the signal's reason when it aborts.
 */
export async function getJson(
  url: URL,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<unknown> {
  const text = await getText(url, options, 'application/json');
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The text of GET `url`'s answer, or undefined when the server does not answer 200 within `timeoutMs` (or sends
 * more than 4 MiB). Rejects only with the signal's reason when it aborts.
 */
export function getText(
  url: URL,
  { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
  accept = 'text/plain, */*',
): Promise<string | undefined> {
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsGet : get)(url, {
      agent: false,
      headers: { accept },
    });
    let settled = false;
    const finish = (value: string | undefined, aborted = false): void => {
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
      response.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
      response.on('error', () => finish(undefined));
    });
  });
}
