// Child process of the kill/resume test: runs one study and prints each event as a JSON line on stdout,
// so the parent can SIGKILL it at a chosen moment.  Usage: tsx kill-study-child.ts '<KillStudyJob JSON>'
import { study } from '../../../src/tune/study.js';
import { type KillStudyJob, slowEstimateEvaluator } from './kill-study-evaluator.js';

const job = JSON.parse(process.argv[2] ?? '{}') as KillStudyJob;
const running = study(
  job.options,
  job.mode === 'engine' ? {} : { evaluator: slowEstimateEvaluator(job.options, job.delayMs ?? 200) },
);
for await (const event of running) {
  const brief =
    event.type === 'trial-finished' || event.type === 'trial-failed'
      ? { type: event.type, trial: event.trial, state: event.record.state }
      : event;
  process.stdout.write(`${JSON.stringify(brief)}\n`);
}
await running.result;
