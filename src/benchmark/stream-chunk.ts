// Interpretation of one streamed OpenAI-compatible JSON chunk: does it carry a generated token?

/** Which OpenAI-compatible endpoint is driven. */
export type ApiKind = 'completions' | 'chat';

/** What one parsed SSE `data:` payload tells the load generator. */
export interface ChunkInfo {
  /** The chunk carries at least one generated token (possibly with empty text). */
  token: boolean;
  /** The chunk carries a finish reason. */
  finished: boolean;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
  /** An error the server reported inside the stream. */
  error?: string | undefined;
}

interface ChoiceLike {
  text?: unknown;
  delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; role?: unknown };
  finish_reason?: unknown;
}

/**
 * Reads one chunk. A chunk counts as a token chunk when its first choice carries generated text as a string,
 * even an empty one (a byte token that does not complete a UTF-8 character yet). Two kinds of empty chunks are
 * not tokens: a chat role announcement (`delta.role` with empty content, sent before any token is generated)
 * and a bare finish marker (empty text plus `finish_reason`). When the server streams cumulative usage on every
 * chunk (vLLM's `continuous_usage_stats`), a rise of `completion_tokens` decides instead.
 */
export function readChunk(
  payload: unknown,
  api: ApiKind,
  previousCompletionTokens: number | undefined,
): ChunkInfo {
  if (payload === null || typeof payload !== 'object') return { token: false, finished: false };
  const obj = payload as { choices?: unknown; usage?: unknown; error?: unknown };
  if (obj.error !== undefined && obj.error !== null) {
    const err = obj.error as { message?: unknown };
    const message =
      typeof err === 'object' && typeof err.message === 'string' ? err.message : JSON.stringify(obj.error);
    return { token: false, finished: false, error: `server error in stream: ${message}` };
  }
  let promptTokens: number | undefined;
  let completionTokens: number | undefined;
  if (obj.usage !== null && typeof obj.usage === 'object') {
    const usage = obj.usage as { prompt_tokens?: unknown; completion_tokens?: unknown };
    if (typeof usage.prompt_tokens === 'number') promptTokens = usage.prompt_tokens;
    if (typeof usage.completion_tokens === 'number') completionTokens = usage.completion_tokens;
  }
  const choice = Array.isArray(obj.choices) ? (obj.choices[0] as ChoiceLike | undefined) : undefined;
  if (choice === undefined) return { token: false, finished: false, promptTokens, completionTokens };
  const finished = choice.finish_reason !== null && choice.finish_reason !== undefined;
  let text: unknown;
  let roleOnly = false;
  if (api === 'chat') {
    const delta = choice.delta ?? {};
    text =
      typeof delta.content === 'string'
        ? delta.content
        : typeof delta.reasoning_content === 'string'
          ? delta.reasoning_content
          : delta.reasoning;
    roleOnly = delta.role !== undefined && text === '';
  } else {
    text = choice.text;
  }
  let token = false;
  if (typeof text === 'string') {
    token =
      completionTokens === undefined
        ? !(text === '' && (finished || roleOnly))
        : completionTokens > (previousCompletionTokens ?? 0);
  }
  return { token, finished, promptTokens, completionTokens };
}
