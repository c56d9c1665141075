// JSON bodies of streaming completions and chat-completions requests.
import type { BenchmarkOptions } from './benchmark-options.js';
import type { WorkloadRequest } from './workload.js';

/**
 * The request body: streaming on, usage asked for, output length forced (`ignore_eos` and `min_tokens`,
 * understood by vLLM and SGLang; other servers ignore them) unless disabled, then `extraBody` on top.
 */
export function buildRequestBody(
  options: BenchmarkOptions,
  request: WorkloadRequest,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: options.model };
  if ((options.api ?? 'completions') === 'chat')
    body['messages'] = [{ role: 'user', content: request.prompt }];
  else body['prompt'] = request.prompt;
  body['max_tokens'] = request.maxTokens;
  body['stream'] = true;
  if (options.includeUsage ?? true) body['stream_options'] = { include_usage: true };
  if (options.forceOutputLength ?? true) {
    body['ignore_eos'] = true;
    body['min_tokens'] = request.maxTokens;
  }
  return Object.assign(body, options.extraBody ?? {});
}

/** Request headers; the API key goes into `Authorization` only. */
export function buildHeaders(apiKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
  return headers;
}
