// A stand-in tuner process on the fake cluster: launches one server, prints READY <endpoint>, waits to be killed.
import { fakeKubeConfig } from '../../support/fake-k8s-server.js';
import { fakeController, k8sFixtureSpec } from './k8s-fixture.js';

const [url = '', studyId = 'orphan'] = process.argv.slice(2);
const handle = await fakeController(fakeKubeConfig(url)).launch(
  k8sFixtureSpec('serve', { studyId, trialId: 'orphan-trial' }),
);
process.stdout.write(`READY ${handle.endpoint}\n`);
setInterval(() => {}, 60_000);
