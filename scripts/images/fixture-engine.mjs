// Minimal OpenAI-compatible engine stand-in for container tests until the simulated engine is bundled.
// Flags: --host H --port P [--startup-delay-ms N] [--exit-code N] [--never-ready]
import { createServer } from 'node:http';

const argv = process.argv.slice(2);
const flag = (name) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const host = flag('host') ?? '0.0.0.0';
const port = Number(flag('port') ?? 8000);
const startupDelayMs = Number(flag('startup-delay-ms') ?? 0);
const exitCode = flag('exit-code');
const neverReady = argv.includes('--never-ready');

if (exitCode !== undefined) {
  console.error(`fixture-engine: refusing to start (asked to exit with ${exitCode})`);
  process.exit(Number(exitCode));
}

let ready = false;
const sse = (res, body) => res.write(`data: ${JSON.stringify(body)}\n\n`);
const readBody = async (req) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
};

const server = createServer(async (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/health') {
    res.writeHead(ready ? 200 : 503).end(ready ? 'ok' : 'loading');
    return;
  }
  if (path === '/v1/models') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'fixture', object: 'model' }] }));
    return;
  }
  if (path === '/v1/completions' && req.method === 'POST') {
    const body = await readBody(req);
    const maxTokens = Number(body.max_tokens ?? 16);
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ text: 'x'.repeat(maxTokens), finish_reason: 'length' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < maxTokens; i++) sse(res, { choices: [{ index: 0, text: 'x', finish_reason: null }] });
    sse(res, {
      choices: [{ index: 0, text: '', finish_reason: 'length' }],
      usage: { prompt_tokens: 1, completion_tokens: maxTokens, total_tokens: maxTokens + 1 },
    });
    res.end('data: [DONE]\n\n');
    return;
  }
  res.writeHead(404).end('not found');
});

server.listen(port, host, () => {
  console.log(`fixture-engine listening on ${host}:${port}`);
  if (!neverReady) setTimeout(() => (ready = true), startupDelayMs);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`fixture-engine: ${signal}, shutting down`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
