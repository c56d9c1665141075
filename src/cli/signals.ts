// Ctrl-C handling for long commands: the first SIGINT/SIGTERM aborts gracefully, a second one forces exit.
import { EXIT } from './exit-codes.js';

/** An AbortSignal fired by SIGINT/SIGTERM; call the returned dispose when the command ends. */
export function interruptSignal(onFirst: (signal: NodeJS.Signals) => void): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  let count = 0;
  const handler = (name: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      onFirst(name);
      // An abort, typed as one (not an Error to classify): the study stops and the journal can be resumed.
      controller.abort(new DOMException(`interrupted by ${name}`, 'AbortError'));
      return;
    }
    // Second signal: leave now; the controllers' exit hooks still stop what they started.
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
