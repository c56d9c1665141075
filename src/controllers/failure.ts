// Failure classification of a launch from its exit code, signal and log tail (one set of rules for all controllers).

/** Why a server failed to start or died. */
export type FailureKind =
  | 'oom'
  | 'cuda-error'
  | 'bad-flag'
  | 'port-in-use'
  | 'timeout'
  | 'model-not-found'
  | 'unknown';

/** A classified failure: the kind plus the log line (or fact) that decided it. */
export interface FailureClassification {
  kind: FailureKind;
  /** The matching log line or a short explanation. */
  detail: string;
}

/** What is known about a failed server. */
export interface FailureEvidence {
  exitCode?: number | null;
  signal?: string | null;
  logTail?: string;
  /** The readiness wait ran out of time. */
  timedOut?: boolean;
}

// Ordered: the first rule whose pattern matches a log line wins. More specific rules come first.
const LOG_RULES: readonly { kind: FailureKind; pattern: RegExp }[] = [
  {
    kind: 'oom',
    pattern:
      /OOMKilled|CUDA out of memory|OutOfMemoryError|torch\.OutOfMemoryError|cudaErrorMemoryAllocation|out of memory|failed to allocate .*buffer|Not enough memory|No available memory for the cache blocks|insufficient .*memory|larger than the available KV cache memory/i,
  },
  {
    kind: 'port-in-use',
    pattern:
      /EADDRINUSE|address already in use|couldn't bind|could not bind|failed to bind|port .* is (already )?in use|port is already allocated/i,
  },
  {
    kind: 'bad-flag',
    pattern:
      /unrecognized arguments?|unrecognised arguments?|error: argument |invalid argument|unknown (option|argument|flag)|invalid choice|expected one argument/i,
  },
  {
    kind: 'model-not-found',
    pattern:
      /Repository Not Found|RepositoryNotFoundError|is not a local folder and is not a valid model identifier|model .*not found|failed to load model|No such file or directory.*\.(gguf|safetensors|bin)|401 Client Error|GatedRepoError/i,
  },
  {
    kind: 'cuda-error',
    pattern:
      /CUDA error|CUDA driver|cudaError|NCCL error|no CUDA-capable device|CUDA initialization|RuntimeError: CUDA|nvidia-container-cli|could not select device driver/i,
  },
];

/** Classifies a failure from its exit code, signal and log tail; log evidence beats exit codes. */
export function classifyFailure(evidence: FailureEvidence): FailureClassification {
  const lines = (evidence.logTail ?? '').split('\n');
  for (const rule of LOG_RULES) {
    // Scan from the end: the last error is usually the cause.
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i] ?? '';
      if (rule.pattern.test(line)) return { kind: rule.kind, detail: line.trim() };
    }
  }
  if (evidence.exitCode === 137 || evidence.signal === 'SIGKILL') {
    return { kind: 'oom', detail: 'killed (exit 137 / SIGKILL), usually the out-of-memory killer' };
  }
  if (evidence.exitCode === 2) return { kind: 'bad-flag', detail: 'exit code 2 (argument parsing error)' };
  if (evidence.timedOut) return { kind: 'timeout', detail: 'not ready within the start-up budget' };
  const code = evidence.signal ? `signal ${evidence.signal}` : `exit code ${String(evidence.exitCode)}`;
  return { kind: 'unknown', detail: code };
}
