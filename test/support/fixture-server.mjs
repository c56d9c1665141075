#!/usr/bin/env node
// A tiny real engine stand-in for controller tests: OpenAI-like endpoints plus scripted start-up behaviour.
// Flags: --host H --port N --ready-after-ms MS --exit-after-ms MS --exit-code C --never-ready
//        --spawn-child (starts a grandchild in the same process group) --say TEXT (log line at start)
//        --ignore-sigterm
import { spawn } from 'node:child_process';
import http from 'node:http';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const has = (name) => argv.includes(`--${name}`);
const host = flag('host', '127.0.0.1');
const port = Number(flag('port', '8000'));
const readyAfterMs = Number(flag('ready-after-ms', '0'));
const exitAfterMs = flag('exit-after-ms');
const startedAt = Date.now();

console.log(`fixture-server starting pid=${process.pid} token=${process.env.HF_TOKEN ?? 'none'}`);
if (flag('say')) console.log(flag('say'));
if (has('spawn-child')) {
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}
if (exitAfterMs !== undefined) {
  setTimeout(() => {
    console.error('fatal: scripted crash during start-up');
    process.exit(Number(flag('exit-code', '3')));
  }, Number(exitAfterMs));
}

// Ready flips exactly once, when its timer fires after listening; the log line gives benchmarks the instant.
let isReady = false;
const ready = () => isReady;
const server = http.createServer((req, res) => {
  if (req.url === '/health') return void res.writeHead(ready() ? 200 : 503).end();
  if (req.url === '/v1/models') {
    if (!ready()) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ object: 'list', data: [{ id: 'fixture', object: 'model' }] }));
  }
  if (req.url === '/v1/completions' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const { max_tokens: maxTokens = 4 } = JSON.parse(body || '{}');
      const text = Array.from({ length: maxTokens }, (_, i) => `t${i}`).join(' ');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ object: 'text_completion', choices: [{ index: 0, text, finish_reason: 'length' }] }),
      );
    });
    return;
  }
  res.writeHead(404).end();
});
server.listen(port, host, () => {
  console.log(`listening on http://${host}:${port}`);
  if (has('never-ready')) return;
  setTimeout(
    () => {
      isReady = true;
      console.log(`ready-at-ms=${Date.now()}`);
    },
    Math.max(0, startedAt + readyAfterMs - Date.now()),
  );
});
const shutdown = (signal) => {
  console.log(`received ${signal}, shutting down`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 200).unref();
};
// --ignore-sigterm: a server that hangs on shutdown, to exercise SIGKILL after the grace period.
process.on('SIGTERM', has('ignore-sigterm') ? () => console.log('ignoring SIGTERM') : shutdown);
process.on('SIGINT', shutdown);
