// A stand-in tuner process: launches one local server for a study, prints READY <endpoint>, then waits to be killed.
import { LocalController } from '../../../src/controllers/local/local-controller.js';
import { localFixtureSpec } from './local-fixture.js';
import { localSimSpec } from './local-sim.js';

const [studyId = 'orphan', stateDir, mode = 'wait', engine = 'fixture'] = process.argv.slice(2);
const controller = new LocalController({ stateDir });
const makeSpec = engine === 'sim' ? localSimSpec : localFixtureSpec;
const handle = await controller.launch(makeSpec('serve', { studyId, trialId: 'orphan-trial' }));
process.stdout.write(`READY ${handle.endpoint}\n`);
// 'exit' leaves through a normal exit with the server still running: the exit hook must kill it.
if (mode === 'exit') setTimeout(() => process.exit(0), 100);
else setInterval(() => {}, 60_000);
