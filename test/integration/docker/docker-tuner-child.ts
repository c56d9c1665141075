// A stand-in tuner process: starts one container for a study, prints READY <endpoint>, then waits to be killed.
import { DockerController } from '../../../src/controllers/docker/docker-controller.js';
import { dockerFixtureSpec } from './docker-fixture.js';

const [studyId = 'orphan'] = process.argv.slice(2);
const controller = new DockerController();
const handle = await controller.launch(dockerFixtureSpec('serve', { studyId, trialId: 'orphan-trial' }));
process.stdout.write(`READY ${handle.endpoint}\n`);
setInterval(() => {}, 60_000);
