// A process with two controllers' worth of signal cleanups (an immediate and an asynchronous one) and a last one, and with
// `owned` another SIGINT listener that decides the exit itself, as the CLI does.
import { setTimeout as sleep } from 'node:timers/promises';
import { addSignalCleanup } from '../../../src/controllers/signal-cleanup.js';

addSignalCleanup('groups', { now: () => process.stdout.write('NOW\n') });
addSignalCleanup('containers', {
  later: async () => {
    await sleep(100);
    process.stdout.write('LATER\n');
  },
});
addSignalCleanup('leases', { last: () => process.stdout.write('LAST\n') });
if (process.argv[2] === 'owned') {
  process.on('SIGINT', () => {
    process.stdout.write('OWNER\n');
    setTimeout(() => process.exit(7), 400);
  });
}
process.stdout.write('READY\n');
setInterval(() => undefined, 1_000);
