// `autotune ui`'s server: the dashboard app on an HTTP server bound to loopback unless told (with a token).

import { stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { InvalidOptionError } from '../errors.js';
import { StudyRunner } from './study-runner.js';
import { checkUiAccess } from './ui-access.js';
import { createUiApp } from './ui-app.js';

/** Options of startUi. */
export interface UiOptions {
  /** The studies folder: journals in it and in its `.autotune/`. */
  folder: string;
  /** Address to bind; anything but loopback needs `token`. @default '127.0.0.1' */
  host?: string | undefined;
  /** Port; 0 picks a free one. @default 8080 */
  port?: number | undefined;
  /** Access token every request must carry (at least 16 characters). @default none */
  token?: string | undefined;
  /** How often a followed journal is looked at for new lines. @default 250 */
  pollMs?: number | undefined;
  /** Closes the server when aborted. */
  signal?: AbortSignal | undefined;
}

/**
 * A listening dashboard; close() (or dispose) stops the studies it runs (resumable), then ends every open page's
 * stream and the server.
 */
export interface UiServer extends AsyncDisposable {
  url: string;
  close(): Promise<void>;
}

/** Starts the dashboard over a folder of studies. */
export async function startUi(options: UiOptions): Promise<UiServer> {
  const { host = '127.0.0.1', port = 8080, token, pollMs, signal } = options;
  checkUiAccess(host, token);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidOptionError('port', port, 'an integer from 0 to 65535');
  }
  const folder = path.resolve(options.folder);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new InvalidOptionError('folder', options.folder, 'an existing directory');
  signal?.throwIfAborted();

  const closing = new AbortController();
  const runner = new StudyRunner(folder);
  const app = createUiApp({ folder, token, runner, closing: closing.signal, pollMs });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new InvalidOptionError('port', port, `a port free on ${host}`, { cause: error })),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= runner.close().then(
      () =>
        new Promise<void>((resolve) => {
          closing.abort();
          signal?.removeEventListener('abort', onAbort);
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    return closed;
  };
  const onAbort = (): void => void close();
  signal?.addEventListener('abort', onAbort, { once: true });
  return { url: `http://${shown}:${bound}/`, close, [Symbol.asyncDispose]: close };
}
