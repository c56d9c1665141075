// A stand-in tuner process on the fake cluster: launches one server, prints READY <endpoint>, waits to be killed.
import { KubernetesController } from '../../../src/controllers/kubernetes/kubernetes-controller.js';
import { fakeKubeConfig } from '../../support/fake-k8s-server.js';
import { fakeController, k8sFixtureSpec } from './k8s-fixture.js';

const [url = '', studyId = 'orphan'] = process.argv.slice(2);
// 'kubeconfig' means the real cluster of KUBECONFIG (see kubernetes-controller.test.ts).
const controller =
  url === 'kubeconfig'
    ? new KubernetesController({ namespace: process.env['AUTOTUNE_K8S_NAMESPACE'] ?? 'default' })
    : fakeController(fakeKubeConfig(url));
const image = process.env['AUTOTUNE_K8S_TEST_IMAGE'];
const handle = await controller.launch(
  k8sFixtureSpec('serve', { studyId, trialId: 'orphan-trial' }, url === 'kubeconfig' ? image : undefined),
);
process.stdout.write(`READY ${handle.endpoint}\n`);
setInterval(() => {}, 60_000);
