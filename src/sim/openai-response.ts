// OpenAI-compatible response bodies and SSE chunks; per-token chunks are string templates (no JSON.stringify per token).
import type { GenerationRequest } from './openai-request.js';
import { tokenText } from './tokens.js';

/** Usage block of a response. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Builds the bodies of one request's answer. */
export class ResponseWriter {
  private readonly head: string;
  private readonly tail: string;
  private readonly id: string;
  private readonly created: number;
  private emitted = 0;

  constructor(
    private readonly request: GenerationRequest,
    serial: number,
    createdS: number,
    private readonly seed: number,
  ) {
    this.created = createdS;
    const chat = request.kind === 'chat';
    this.id = `${chat ? 'chatcmpl' : 'cmpl'}-sim${serial.toString(16)}`;
    const object = chat ? 'chat.completion.chunk' : 'text_completion';
    const common = `{"id":"${this.id}","object":"${object}","created":${createdS},"model":${JSON.stringify(request.model)},"choices":[{"index":0,`;
    this.head = chat ? `data: ${common}"delta":{"content":"` : `data: ${common}"text":"`;
    this.tail = chat
      ? '"},"logprobs":null,"finish_reason":null}]}\n\n'
      : '","logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n';
  }

  /** The first SSE chunk of a chat stream (assistant role, empty content); empty for completions. */
  opening(): string {
    if (this.request.kind !== 'chat') return '';
    return `data: {"id":"${this.id}","object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(this.request.model)},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
  }

  /** SSE chunks for the next `count` tokens, the finish chunk and usage when `finished`. */
  chunks(count: number, finished: boolean, finishReason: 'length' | 'stop'): string {
    let out = '';
    for (let i = 0; i < count; i++) out += this.head + tokenText(this.seed, this.emitted++) + this.tail;
    if (finished) {
      const chat = this.request.kind === 'chat';
      const choice = chat
        ? `{"index":0,"delta":{},"logprobs":null,"finish_reason":"${finishReason}"}`
        : `{"index":0,"text":"","logprobs":null,"finish_reason":"${finishReason}","stop_reason":null}`;
      out += `data: {"id":"${this.id}","object":"${chat ? 'chat.completion.chunk' : 'text_completion'}","created":${this.created},"model":${JSON.stringify(this.request.model)},"choices":[${choice}]}\n\n`;
      if (this.request.includeUsage)
        out += `data: {"id":"${this.id}","object":"${chat ? 'chat.completion.chunk' : 'text_completion'}","created":${this.created},"model":${JSON.stringify(this.request.model)},"choices":[],"usage":${JSON.stringify(this.usage())}}\n\n`;
      out += 'data: [DONE]\n\n';
    }
    return out;
  }

  /** Counts tokens delivered without writing them (non-streaming answers). */
  skip(count: number): void {
    this.emitted += count;
  }

  /** The whole non-streaming answer. */
  body(finishReason: 'length' | 'stop'): string {
    let text = '';
    for (let i = 0; i < this.emitted; i++) text += tokenText(this.seed, i);
    const choice =
      this.request.kind === 'chat'
        ? {
            index: 0,
            message: { role: 'assistant', content: text },
            logprobs: null,
            finish_reason: finishReason,
          }
        : { index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null };
    return JSON.stringify({
      id: this.id,
      object: this.request.kind === 'chat' ? 'chat.completion' : 'text_completion',
      created: this.created,
      model: this.request.model,
      choices: [choice],
      usage: this.usage(),
    });
  }

  private usage(): Usage {
    return {
      prompt_tokens: this.request.promptTokens,
      completion_tokens: this.emitted,
      total_tokens: this.request.promptTokens + this.emitted,
    };
  }
}
