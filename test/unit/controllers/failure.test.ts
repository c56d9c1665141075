import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/controllers/failure.js';

describe('classifyFailure', () => {
  it.each([
    ['torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB', 1, 'oom'],
    ['ValueError: No available memory for the cache blocks.', 1, 'oom'],
    ['RuntimeError: CUDA error: an illegal memory access was encountered', 1, 'cuda-error'],
    ['RuntimeError: Found no NVIDIA driver on your system', 1, 'unknown'],
    ['vllm serve: error: unrecognized arguments: --max-running-requests 8', 2, 'bad-flag'],
    ['error: invalid argument: --ctx-sizee', 1, 'bad-flag'],
    ['OSError: [Errno 98] Address already in use', 1, 'port-in-use'],
    ['Error: listen EADDRINUSE: address already in use 127.0.0.1:8000', 1, 'port-in-use'],
    ["couldn't bind HTTP server socket, hostname: 127.0.0.1, port: 8080", 1, 'port-in-use'],
    ['huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error', 1, 'model-not-found'],
    ['llama_model_load: error loading model: failed to load model', 1, 'model-not-found'],
    ['just a plain crash', 137, 'oom'],
    ['usage: x', 2, 'bad-flag'],
    ['segfault', 139, 'unknown'],
  ])('%s (exit %d) -> %s', (line, exitCode, kind) => {
    const result = classifyFailure({ exitCode, logTail: `INFO starting\n${line}\nINFO bye` });
    expect(result.kind).toBe(kind);
    const decidedByExitCode = kind === 'unknown' || line === 'usage: x' || exitCode === 137;
    if (!decidedByExitCode) expect(result.detail).toBe(line);
  });

  it('says timeout when the wait ran out and nothing else explains it', () => {
    expect(classifyFailure({ timedOut: true, logTail: 'loading weights' }).kind).toBe('timeout');
    expect(classifyFailure({ signal: 'SIGKILL' }).kind).toBe('oom');
  });
});
