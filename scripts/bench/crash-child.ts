/**
 * One Lambda instance in a process of its own, for the fault suite to kill (scripts/bench/crash-faults.ts):
 * plays a queue's event source into a deployed handler until the queue is empty, as
 * `crash-child.ts <function folder> <queue URL> <queue ARN> <batch size>`, with the handler's environment
 * inherited from the suite. Killed mid-batch, its messages are neither deleted nor failed: they come back
 * after the queue's visibility timeout, as after a Lambda crash or timeout.
 */
import { QueuePump } from '../../local/runner/runner.ts';

const [functionFolder, queueUrl, queueArn, batchSize] = process.argv.slice(2);
if (functionFolder === undefined || queueUrl === undefined || queueArn === undefined) {
  throw new Error('usage: crash-child.ts <function folder> <queue URL> <queue ARN> [batch size]');
}
const { handler } = (await import(`../../functions/${functionFolder}/handler.ts`)) as {
  handler: ConstructorParameters<typeof QueuePump>[2];
};
const pump = new QueuePump(queueUrl, queueArn, handler, {
  functionName: `keybill-${functionFolder}`,
  ...(batchSize === undefined ? {} : { batchSize: Number(batchSize) }),
});
await pump.drain({ timeoutMs: 120_000 });
pump.close();
process.exit(0);
