import type { SynthesizedStack } from '../../local/runner/synthesized-stack.ts';
import type { DeployedRun, RunPhase } from './deployed-run.ts';
import type { Prices } from './prices.ts';

/*
 * One phase of the bundles run, priced: Lambda by each function's memory and architecture from the
 * template and the measured durations, DynamoDB by capacity units from the recorded request and response
 * sizes, SQS by 64 KB chunk, S3 by request tier, Scheduler by schedule created, SES by email and SMS by
 * message part (messaging), X-Ray and CloudWatch Logs per invocation.
 */

const GB = 1024 ** 3;
const DYNAMODB_WRITES = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/;
const DYNAMODB_READS = /^dynamodb:(GetItem|BatchGetItem|Query|Scan|TransactGetItems|GetRecords)$/;

/** Capacity units of one call: 1 KB per write unit, 4 KB per read unit (transactions count twice). */
function capacityUnits(action: string, bytes: number): number {
  const transactional = action.includes('Transact') ? 2 : 1;
  if (DYNAMODB_WRITES.test(action)) return transactional * Math.max(1, Math.ceil(bytes / 1024));
  return transactional * Math.max(1, Math.ceil(bytes / 4096));
}

export interface PhaseCost {
  lines: Record<string, number>;
  invocations: number;
  emails: number;
  smsParts: number;
  computeStorageUsd: number;
  messagingUsd: number;
}

/** One phase of the run, priced and multiplied by `scale`. */
export function phaseCost(
  run: DeployedRun,
  phase: RunPhase,
  scale: number,
  prices: Prices,
  stack: SynthesizedStack,
): PhaseCost {
  const lines: Record<string, number> = {};
  const add = (line: string, usd: number) => {
    lines[line] = (lines[line] ?? 0) + usd * scale;
  };
  const invocations = run.invocations.filter((i) => i.phase === phase);
  for (const fn of stack.functions) {
    const own = invocations.filter((i) => i.functionName === fn.functionName);
    const seconds = own.reduce((sum, i) => sum + Math.ceil(i.durationMs) / 1000, 0);
    const gbSecond = fn.architecture === 'arm64' ? prices.lambda.gbSecondArm64 : prices.lambda.gbSecondX86;
    add(`lambda ${fn.handlerName}`, seconds * (fn.memoryMb / 1024) * gbSecond);
    add('lambda requests', (own.length / 1e6) * prices.lambda.perMillionRequests);
    add('x-ray traces', (own.length / 1e6) * prices.xray.perMillionTracesRecorded);
    const logBytes = own.length * prices.logs.bytesPerInvocationEstimate;
    add('cloudwatch logs', (logBytes / GB) * (prices.logs.ingestionPerGb + prices.logs.storageGbMonth));
  }
  let emails = 0;
  for (const call of run.calls.filter((c) => c.phase === phase)) {
    if (DYNAMODB_WRITES.test(call.action)) {
      const units = capacityUnits(call.action, call.requestBytes);
      add('dynamodb writes', (units / 1e6) * prices.dynamodb.perMillionWriteRequestUnits);
      // What a cycle writes, kept for a month (staged reads expire sooner: an upper bound).
      add('dynamodb storage', (call.requestBytes / GB) * prices.dynamodb.storageGbMonth);
    } else if (DYNAMODB_READS.test(call.action)) {
      const units = capacityUnits(call.action, call.responseBytes);
      add('dynamodb reads', (units / 1e6) * prices.dynamodb.perMillionReadRequestUnits);
    } else if (call.action.startsWith('sqs:')) {
      const chunks = Math.max(1, Math.ceil(call.requestBytes / 65536));
      add('sqs requests', (chunks / 1e6) * prices.sqs.perMillionRequests);
    } else if (call.action === 's3:PutObject') {
      add('s3 requests', prices.s3.perThousandPutRequests / 1000);
      add('s3 storage', (call.requestBytes / GB) * prices.s3.storageGbMonth);
    } else if (call.action.startsWith('s3:')) {
      add('s3 requests', prices.s3.perThousandGetRequests / 1000);
    } else if (call.action === 'scheduler:CreateSchedule') {
      add('scheduler', prices.scheduler.perMillionInvocations / 1e6);
    } else if (call.action === 'ses:SendEmail') {
      emails++;
      add('ses email (messaging)', prices.ses.perThousandEmails / 1000);
    }
  }
  const smsParts = run.smsParts[phase];
  add('sms parts (messaging)', smsParts * prices.sms.perMessagePart);
  const messagingUsd = Object.entries(lines)
    .filter(([line]) => line.endsWith('(messaging)'))
    .reduce((sum, [, usd]) => sum + usd, 0);
  const total = Object.values(lines).reduce((sum, usd) => sum + usd, 0);
  return {
    lines,
    invocations: invocations.length * scale,
    emails: emails * scale,
    smsParts: smsParts * scale,
    computeStorageUsd: total - messagingUsd,
    messagingUsd,
  };
}
