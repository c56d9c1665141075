// Sends one streaming OpenAI-compatible request over node:http and records its timestamps.
import { type Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createParser } from 'eventsource-parser';
import type { RequestRecord } from './request-record.js';
import { type ApiKind, readChunk } from './stream-chunk.js';

/** One request to send; the caller fills in the record fields that describe the workload. */
export interface StreamRequestInput {
  /** Full URL of the endpoint, e.g. `http://127.0.0.1:8000/v1/completions`. */
  url: URL;
  api: ApiKind;
  /** JSON request body (already serialised). */
  body: string;
  headers: Record<string, string>;
  agent: Agent;
  timeoutMs: number;
  /** Monotonic milliseconds relative to the run start. */
  now: () => number;
  /** Aborting cancels the request; the record then has status `canceled`. */
  signal?: AbortSignal | undefined;
  /** Fields copied into the record (index, warm-up flag, schedule, token intents). */
  record: Pick<RequestRecord, 'index' | 'warmup' | 'maxTokens'> &
    Partial<Pick<RequestRecord, 'scheduledMs' | 'expectedPromptTokens'>>;
}

const ERROR_BODY_LIMIT = 2_048;

/**
 * Sends the request and resolves with its record; never rejects. The record's clock starts when the request
 * is issued. Every chunk of one network read gets that read's arrival time; token chunks are told apart by
 * `readChunk`. Token counts come from the server's usage when it reports them, else the intended prompt length
 * and the number of token chunks. A request whose reused keep-alive socket turns out closed before any answer
 * is resent once on a new connection, its clock restarted (nothing reached the server).
 */
export function streamRequest(input: StreamRequestInput): Promise<RequestRecord> {
  const { now, api } = input;
  const record: RequestRecord = {
    ...input.record,
    status: 'ok',
    sentMs: now(),
    tokenChunkMs: [],
    endMs: Number.NaN,
    usageReported: false,
  };
  return new Promise<RequestRecord>((resolve) => {
    let settled = false;
    let finished = false;
    let completionTokens: number | undefined;
    let promptTokens: number | undefined;
    const send = input.url.protocol === 'https:' ? httpsRequest : httpRequest;
    // An explicit length: without it node sends the body chunked, which some servers (llama-server's
    // cpp-httplib) answer by hanging up.
    const options = {
      method: 'POST',
      headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
    };
    let req: ClientRequest | undefined;
    let retried = false;
    const settle = (status: RequestRecord['status'], error?: string, at = now()): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      record.status = status;
      record.endMs = at;
      if (error !== undefined) record.error = error;
      record.usageReported = completionTokens !== undefined;
      record.promptTokens = promptTokens ?? input.record.expectedPromptTokens;
      record.outputTokens = completionTokens ?? record.tokenChunkMs.length;
      if (status !== 'ok') req?.destroy();
      resolve(record);
    };
    const onAbort = (): void => settle('canceled', 'canceled by the caller');
    const timer = setTimeout(() => settle('error', `timed out after ${input.timeoutMs} ms`), input.timeoutMs);
    if (input.signal?.aborted) {
      settle('canceled', 'canceled by the caller');
      return;
    }
    input.signal?.addEventListener('abort', onAbort, { once: true });
    const start = (agent: Agent | false): void => {
      req = send(input.url, { ...options, agent });
      req.on('error', onRequestError);
      req.on('response', onResponse);
      req.end(input.body);
    };
    const onRequestError = (err: NodeJS.ErrnoException): void => {
      // A keep-alive socket the server closed just as it was reused: nothing reached the server, so send
      // again once (the pattern node's documentation recommends for reusedSocket). The resend opens its own
      // connection outside the pool: the pool may hold more sockets the server has closed.
      if (!retried && req?.reusedSocket && err.code === 'ECONNRESET' && record.headersMs === undefined) {
        retried = true;
        record.sentMs = now();
        start(false);
        return;
      }
      settle('error', err.message || err.code || 'request failed');
    };
    const onResponse = (res: IncomingMessage): void => {
      record.headersMs = now();
      record.httpStatus = res.statusCode;
      res.setEncoding('utf8');
      if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) {
        let text = '';
        res.on('data', (chunk: string) => {
          if (text.length < ERROR_BODY_LIMIT) text += chunk;
        });
        res.on('end', () =>
          settle('error', `HTTP ${res.statusCode}: ${text.slice(0, ERROR_BODY_LIMIT).trim()}`),
        );
        res.on('error', () => settle('error', `HTTP ${res.statusCode}: connection closed`));
        return;
      }
      let readAtMs = 0;
      const parser = createParser({
        onEvent(event) {
          if (settled) return;
          const data = event.data;
          if (data === '[DONE]') {
            settle('ok', undefined, readAtMs);
            return;
          }
          let payload: unknown;
          try {
            payload = JSON.parse(data);
          } catch {
            settle('error', `malformed SSE data: ${data.slice(0, 80)}`, readAtMs);
            return;
          }
          const info = readChunk(payload, api, completionTokens);
          if (info.error !== undefined) {
            settle('error', info.error, readAtMs);
            return;
          }
          if (info.token) {
            if (record.firstTokenMs === undefined) record.firstTokenMs = readAtMs;
            record.tokenChunkMs.push(readAtMs);
          }
          if (info.finished) finished = true;
          if (info.completionTokens !== undefined) completionTokens = info.completionTokens;
          if (info.promptTokens !== undefined) promptTokens = info.promptTokens;
        },
      });
      res.on('data', (chunk: string) => {
        readAtMs = now();
        parser.feed(chunk);
      });
      res.on('end', () => {
        // Servers that close the stream without [DONE] still count when a finish reason arrived.
        if (finished) settle('ok');
        else settle('error', 'stream ended before the response finished');
      });
      res.on('error', () => settle('error', 'connection closed mid-stream'));
      res.on('close', () => {
        if (!res.complete) settle('error', 'connection closed mid-stream');
      });
    };
    start(input.agent);
  });
}
