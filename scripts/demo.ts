/**
 * `npm run demo`: one full billing cycle on the local stack.
 *
 * Starts DynamoDB Local, fauxqs (S3 + SQS), the SES emulator and the SMS recorder on free ports; creates
 * the table, bucket and queues; loads ~50 generated key accounts, the sample tariffs and the accounts'
 * bills of the 12 periods before (shaped so that every usage segment occurs); drops a
 * generated meter-read file into the bucket; and drives the deployed handlers with the events AWS would
 * deliver: S3 "Object Created" via EventBridge → ingest-drop, the table stream → plan-notices, the notices
 * queue → send-notice. Writes the rendered emails and SMS texts and a summary under out/.
 *
 *   --keep             leave the local stack up with its pipeline running (bill-chunk, plan-notices and
 *                      send-notice keep consuming what arrives), put a correction drop in the bucket for
 *                      the CLI's run-drop, and print the SES inbox address and the CLI's environment
 *                      (Ctrl-C to stop)
 *   --accounts N       how many accounts (default 50, at most 5,000)
 *   --period YYYY-MM   the billing period, one that has ended (default: last month in Asia/Shanghai)
 *   --verbose          show the handlers' structured logs
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { putCorrectionDrop, runBillingCycle } from '../local/runner/billing-cycle.ts';
import { LOCAL_NAMES } from '../local/runner/local-pipeline.ts';
import { type PipelineLoop, startPipelineLoop } from '../local/runner/pipeline-loop.ts';
import { applyEnv, startLocalStack } from '../local/stack.ts';
import { alarmsWithoutAction } from './alarms-without-action.ts';
import { demoOptions } from './demo-options.ts';

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    accounts: { type: 'string', default: '50' },
    period: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

/** Checked before anything starts: a wrong option costs a line, not a local stack. */
const options = (() => {
  try {
    return demoOptions(values, new Date());
  } catch (error) {
    console.error(`demo: ${(error as Error).message}`);
    process.exit(2);
  }
})();

const OUT = 'out';
const started = Date.now();
const step = (message: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);

async function main() {
  await rm(join(OUT, 'emails'), { recursive: true, force: true });
  await rm(join(OUT, 'sms'), { recursive: true, force: true });
  await mkdir(join(OUT, 'emails'), { recursive: true });
  await mkdir(join(OUT, 'sms'), { recursive: true });

  step('starting the local stack (DynamoDB Local, S3 + SQS, SES emulator, SMS recorder)');
  const stack = await startLocalStack({ log: values.verbose ? (line) => step(line) : undefined });
  let keepRunning = false;
  let loop: PipelineLoop | undefined;
  let closePipeline = () => {};
  try {
    applyEnv(stack.env);
    if (!values.verbose) process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const summary = await runBillingCycle({
      accounts: options.accounts,
      period: options.period,
      progress: step,
      stack,
      keepPipeline: values.keep,
      simulateAnswers: true,
    });
    if (summary.kept !== undefined) closePipeline = () => summary.kept?.pipeline.close();

    for (const email of summary.emails) {
      await writeFile(join(OUT, 'emails', `${email.fileName}.html`), email.html);
    }
    for (const sms of summary.sms) {
      await writeFile(join(OUT, 'sms', `${sms.fileName}.txt`), `${sms.text}\n`);
    }
    for (const report of summary.reports) await writeFile(join(OUT, report.fileName), report.body);
    const runReport = join(OUT, 'run-report.html');
    await writeFile(runReport, summary.runReport.html);
    await writeFile(join(OUT, 'run-report.csv'), summary.runReport.csv);
    step('synthesising the stack to count its alarms without an action');
    const alarms = alarmsWithoutAction();
    step(`${alarms.alarms} alarms in the template, ${alarms.withoutAction} without an action`);
    const counts = { ...summary.counts, runReport, alarmsWithoutAction: alarms.withoutAction };
    await writeFile(join(OUT, 'summary.json'), `${JSON.stringify(counts, null, 2)}\n`);

    console.log('');
    console.table(summary.table);
    console.log(
      `Emails (HTML): ${join(OUT, 'emails')}/  SMS texts: ${join(OUT, 'sms')}/  Summary: ${join(OUT, 'summary.json')}`,
    );
    console.log(`Key-account report: ${summary.reports.map((r) => join(OUT, r.fileName)).join(', ')}`);
    console.log(
      `Run report: s3://${summary.counts.bucket}/${summary.runReport.keys.html} (copies in ${runReport} and ${join(OUT, 'run-report.csv')})`,
    );
    for (const held of summary.heldBills) {
      console.log(
        `Held for review: account ${held.accountId} ${held.period} version ${held.version}, ¥${held.total} — no preview sent, its account manager told:`,
      );
      for (const reason of held.reasons) console.log(`  - ${reason}`);
      console.log(
        `  release it with: npm run cli -- release-bill --account-id ${held.accountId} --period ${held.period} --by <name> --reason <why>`,
      );
    }
    console.log(
      `\nCustomers' answers: ${summary.counts.answersRecorded ?? 0} recorded; the managers' worklist:`,
    );
    console.table(
      (summary.worklist ?? []).map((f) => ({
        account: f.accountId,
        answer: f.action,
        manager: f.managerName,
        due: f.dueAt,
        overdue: f.overdue,
        close: `npm run cli -- close-follow-up --account-id ${f.accountId} --follow-up-id '${f.followUpId}' --by '${f.managerName}'`,
      })),
    );
    if (summary.counts.rejectReportKey !== undefined) {
      console.log(
        `Reject report: s3://${summary.counts.bucket}/${summary.counts.rejectReportKey} (copy in ${join(OUT, 'rejects.csv')})`,
      );
      await writeFile(join(OUT, 'rejects.csv'), summary.rejectReport ?? '');
    }
    if (summary.counts.accountsBilled !== summary.counts.accountsGenerated) {
      throw new Error(
        `only ${summary.counts.accountsBilled} of ${summary.counts.accountsGenerated} accounts were billed`,
      );
    }
    if (summary.kept !== undefined) {
      keepRunning = true;
      const { pipeline, accounts } = summary.kept;
      const correctionKey = await putCorrectionDrop(pipeline, accounts, summary.counts.period);
      // What AWS's event sources do all the time: a drop run from the CLI is billed and its previews sent.
      loop = startPipelineLoop(pipeline, {
        onRound: (r) =>
          step(
            `pipeline: ${r.chunks} bill chunk(s), ${r.newBills} new bill(s) planned, ${r.notices} notice(s) handled`,
          ),
        onError: (error) => step(`pipeline round failed (retried next round): ${(error as Error).message}`),
      });
      console.log(
        `\nThe local stack stays up, its pipeline running. Read the sent previews at ${stack.sesInboxUrl}`,
      );
      console.log(
        `Their answer links open on ${pipeline.answers.url}; answers reach the worklist (npm run cli -- list-follow-ups).`,
      );
      const envFile = join(OUT, 'local-stack.env');
      const env = Object.entries({ ...stack.env, ...summary.env }).map(([k, v]) => `${k}=${v}`);
      await writeFile(envFile, `${env.join('\n')}\n`);
      console.log(`Environment for the CLI against this stack, also in ${envFile}:`);
      for (const line of env) console.log(`  export ${line}`);
      console.log(`In another terminal: set -a && . ${envFile} && set +a`);
      console.log('A correction of three accounts waits in the bucket; run it, then follow its run:');
      console.log(`  npm run cli -- run-drop --bucket ${LOCAL_NAMES.bucket} --key ${correctionKey}`);
      console.log('  npm run cli -- get-run --run-id <runId from its answer>');
      console.log('Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
  } finally {
    if (keepRunning) step('stopping the pipeline and the local stack');
    await loop?.stop();
    closePipeline();
    await stack.stop();
  }
  step('done');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`demo failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
