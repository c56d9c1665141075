// A minimal streamed /v1/completions call for the container tests (the load generator is tested elsewhere).
import http from 'node:http';
import { createParser } from 'eventsource-parser';

/** Streams one completion; returns the text chunks, the finish reason and the server's token usage. */
export function streamCompletion(
  endpoint: string,
  body: Record<string, unknown>,
): Promise<{ chunks: string[]; finishReason: string | undefined; completionTokens: number | undefined }> {
  return new Promise((resolve, reject) => {
    const chunks: string[] = [];
    let finishReason: string | undefined;
    let completionTokens: number | undefined;
    const parser = createParser({
      onEvent(event) {
        if (event.data === '[DONE]') return;
        const data = JSON.parse(event.data) as {
          choices?: { text?: string; finish_reason?: string | null }[];
          usage?: { completion_tokens?: number };
        };
        const choice = data.choices?.[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        else if (choice) chunks.push(choice.text ?? '');
        if (data.usage?.completion_tokens !== undefined) completionTokens = data.usage.completion_tokens;
      },
    });
    const req = http.request(
      `${endpoint}/v1/completions`,
      { method: 'POST', agent: false, timeout: 60_000, headers: { 'content-type': 'application/json' } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (text: string) => parser.feed(text));
        res.on('end', () => resolve({ chunks, finishReason, completionTokens }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('completion timed out')));
    req.on('error', reject);
    req.end(JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }));
  });
}
