// A tuner process running the cluster study on the fake at argv[2] with journal argv[3] (resuming it when it
// exists); prints one line per finished trial and `DONE <trials>` at the end. Killed by the tests.
import { existsSync } from 'node:fs';
import { study } from '../../../src/tune/study.js';
import { clusterStudyOptions, fakeClusterController } from './k8s-study.js';

const [url = '', journal = ''] = process.argv.slice(2);
const running = study(clusterStudyOptions(journal), {
  controller: fakeClusterController(url),
  resume: existsSync(journal),
});
for await (const event of running) {
  if (event.type === 'trial-finished' || event.type === 'trial-failed')
    process.stdout.write(`TRIAL ${event.trial} ${event.record.state}\n`);
}
const result = await running.result;
process.stdout.write(`DONE ${result.trials.length}\n`);
