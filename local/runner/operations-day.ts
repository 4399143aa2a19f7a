import { text } from 'node:stream/consumers';
import { s3DropObjectStore } from '#adapters/drop-objects.ts';
import { sqsNoticeQueue } from '#adapters/sqs-queues.ts';
import { DEFAULT_FEED_CALENDAR, meterReadsDue } from '#domain/feed-calendar.ts';
import { checkDrops, type DropCheckMetric, type DropCheckResult } from '#services/operator/drop-check.ts';
import { runReportKeysFor } from '#services/run-report.ts';
import { LOCAL_NAMES, type LocalPipeline } from './local-pipeline.ts';

/*
 * The operator's billing day in the demo: the hourly check-drops as it runs an hour after the period's
 * reads were due (whatever today's date is), with the metrics it publishes, and the run report it writes.
 */

export interface DropCheckAt extends DropCheckResult {
  metrics: Record<DropCheckMetric, number>;
}

/** check-drops as it runs one hour after the reads of `period` were due (Asia/Shanghai). */
export async function checkDropsAfterDue(pipeline: LocalPipeline, period: string): Promise<DropCheckAt> {
  const due = meterReadsDue(DEFAULT_FEED_CALENDAR, period);
  const at = new Date(Date.parse(`${due.replace(' ', 'T')}:00+08:00`) + 60 * 60 * 1000);
  const metrics = { DropsLate: 0, DropsPartial: 0, RunsStuck: 0 };
  const result = await checkDrops({
    ...pipeline.stores,
    objects: s3DropObjectStore,
    queue: sqsNoticeQueue(pipeline.env.NOTICE_QUEUE_URL!),
    feedCalendar: DEFAULT_FEED_CALENDAR,
    operationsEmail: pipeline.env.OPERATIONS_EMAIL,
    count: (metric, value) => {
      metrics[metric] = value;
    },
    now: () => at,
  });
  return { ...result, metrics };
}

/** The run report (HTML and CSV) check-drops wrote for the drop under `dropKey`. */
export async function readRunReport(
  dropKey: string,
): Promise<{ html: string; csv: string; keys: { html: string; csv: string } }> {
  const keys = runReportKeysFor(dropKey);
  const read = async (key: string) =>
    text((await s3DropObjectStore.open({ bucket: LOCAL_NAMES.bucket, key })).body);
  return { html: await read(keys.html), csv: await read(keys.csv), keys };
}
