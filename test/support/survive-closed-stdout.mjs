// Preload (node --import) that keeps a process alive when the reader of its stdout/stderr dies, as Python
// engines such as vLLM do (they ignore the broken pipe); Node would otherwise crash on the first EPIPE.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
