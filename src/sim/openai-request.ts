// Validation of OpenAI-style completion and chat requests; problems become OpenAI-style 4xx errors.
import { countTokens, promptBlockHashes } from './tokens.js';

/** An HTTP error answered with an OpenAI-style `{ error: { message, type, param, code } }` body. */
export interface ApiError {
  status: number;
  message: string;
  type: string;
  param: string | null;
}

/** A validated generation request. */
export interface GenerationRequest {
  kind: 'completion' | 'chat';
  model: string;
  promptTokens: number;
  blockHashes: number[];
  maxTokens: number;
  /** Generate exactly `maxTokens` (no simulated end-of-sequence). */
  ignoreEos: boolean;
  minTokens: number;
  stream: boolean;
  includeUsage: boolean;
}

/** What request validation needs to know about the server. */
export interface RequestLimits {
  servedModelName: string;
  maxModelLen: number;
  blockSize: number;
}

const invalid = (message: string, param: string | null = null): ApiError => ({
  status: 400,
  message,
  type: 'invalid_request_error',
  param,
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  for (const part of content) {
    if (!isRecord(part) || part['type'] !== 'text' || typeof part['text'] !== 'string') return undefined;
    parts.push(part['text']);
  }
  return parts.join(' ');
}

// Prompt text (or token ids) of a request, or an error.
function promptOf(kind: 'completion' | 'chat', body: Record<string, unknown>): string | number[] | ApiError {
  if (kind === 'chat') {
    const messages = body['messages'];
    if (!Array.isArray(messages) || messages.length === 0)
      return invalid("'messages' is required and must be a non-empty array", 'messages');
    const texts: string[] = [];
    for (const [i, message] of messages.entries()) {
      const text =
        isRecord(message) && typeof message['role'] === 'string'
          ? messageText(message['content'])
          : undefined;
      if (text === undefined)
        return invalid(`messages[${i}] must have a string role and text content`, `messages.${i}`);
      texts.push(text);
    }
    return texts.join('\n');
  }
  let prompt = body['prompt'];
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') prompt = prompt[0];
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((t) => Number.isInteger(t) && t >= 0))
    return prompt as number[];
  if (prompt === undefined) return invalid("'prompt' is required", 'prompt');
  return invalid("'prompt' must be a string, a one-string array or an array of token ids", 'prompt');
}

/** Validates a parsed JSON body; returns the request or the 4xx error to answer. */
export function parseGenerationRequest(
  kind: 'completion' | 'chat',
  body: unknown,
  limits: RequestLimits,
): GenerationRequest | ApiError {
  if (!isRecord(body)) return invalid('The request body must be a JSON object');
  const model = body['model'] ?? limits.servedModelName;
  if (typeof model !== 'string') return invalid("'model' must be a string", 'model');
  if (model !== limits.servedModelName)
    return {
      status: 404,
      message: `The model \`${model}\` does not exist.`,
      type: 'NotFoundError',
      param: 'model',
    };
  const prompt = promptOf(kind, body);
  if (!Array.isArray(prompt) && typeof prompt !== 'string') return prompt;
  const n = body['n'] ?? 1;
  if (n !== 1) return invalid(`n=${JSON.stringify(n)} is not supported by the simulator (only n=1)`, 'n');
  const promptTokens = countTokens(prompt);
  const maxParam =
    kind === 'chat' && body['max_completion_tokens'] !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const rawMax = body[maxParam];
  if (rawMax !== undefined && rawMax !== null && (!Number.isInteger(rawMax) || (rawMax as number) < 1))
    return invalid(`${maxParam} must be an integer >= 1, got ${JSON.stringify(rawMax)}`, maxParam);
  const room = limits.maxModelLen - promptTokens;
  const maxTokens = typeof rawMax === 'number' ? rawMax : kind === 'completion' ? Math.min(16, room) : room;
  if (maxTokens < 1 || promptTokens + maxTokens > limits.maxModelLen)
    return invalid(
      `This model's maximum context length is ${limits.maxModelLen} tokens. However, you requested ${promptTokens + Math.max(1, maxTokens)} tokens (${promptTokens} in the prompt, ${Math.max(1, maxTokens)} in the completion). Please reduce the length of the prompt or the completion.`,
      maxParam,
    );
  const stream = body['stream'] ?? false;
  if (typeof stream !== 'boolean') return invalid("'stream' must be a boolean", 'stream');
  const ignoreEos = body['ignore_eos'] ?? false;
  if (typeof ignoreEos !== 'boolean') return invalid("'ignore_eos' must be a boolean", 'ignore_eos');
  const minTokens = body['min_tokens'] ?? 0;
  if (!Number.isInteger(minTokens) || (minTokens as number) < 0)
    return invalid("'min_tokens' must be an integer >= 0", 'min_tokens');
  const options = body['stream_options'];
  if (options !== undefined && options !== null && !isRecord(options))
    return invalid("'stream_options' must be an object", 'stream_options');
  return {
    kind,
    model,
    promptTokens,
    blockHashes: promptBlockHashes(prompt, limits.blockSize),
    maxTokens,
    ignoreEos,
    minTokens: minTokens as number,
    stream,
    includeUsage: stream && isRecord(options) && options['include_usage'] === true,
  };
}

/** True when a parse result is an error. */
export function isApiError(value: GenerationRequest | ApiError): value is ApiError {
  return 'status' in value;
}

/** The JSON body of an error answer. */
export function errorBody(error: ApiError): string {
  return JSON.stringify({
    error: { message: error.message, type: error.type, param: error.param, code: error.status },
  });
}
