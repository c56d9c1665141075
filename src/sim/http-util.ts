// Small node:http helpers of the simulator: body reading with a size cap, JSON and error answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiError, errorBody } from './openai-request.js';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Reads a request body as text; undefined when it exceeds the cap. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers with an OpenAI-style error. */
export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, errorBody(error));
}

/** The 503 answer while the model loads. */
export const LOADING_ERROR: ApiError = {
  status: 503,
  message: 'Loading model',
  type: 'unavailable_error',
  param: null,
};
