import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext, sqsEvent } from '../../../local/runner/aws-events.ts';

/*
 * The SQS handlers invoked twice at once in one loaded module, as the local runner's lanes invoke them
 * (up to the mapping's maximum concurrency): each invocation answers for its own batch, its failed records
 * reported and no other. Their work is stubbed; what is checked is the handlers' batch bookkeeping.
 */

/** Per message key: a promise the stubbed work waits on, resolved or rejected by the test. */
const work = new Map<string, { done: Promise<void>; succeed: () => void; fail: () => void }>();
const started: string[] = [];

function expectWork(key: string) {
  let succeed: () => void = () => {};
  let fail: () => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    succeed = resolve;
    fail = () => reject(new Error(`${key} failed`));
  });
  work.set(key, { done, succeed, fail });
}

async function doWork(key: string): Promise<void> {
  started.push(key);
  const planned = work.get(key);
  if (planned === undefined) throw new Error(`no work planned for ${key}`);
  await planned.done;
}

vi.mock('#wiring/index.ts', () => ({
  senderDeps: () => ({}),
  billChunkDeps: () => ({}),
  arrearsDeps: () => ({}),
}));
vi.mock('#services/deliver-notice.ts', () => ({
  deliverNotice: async (message: { noticeId: string }) => {
    await doWork(message.noticeId);
    return { outcome: 'sent' };
  },
}));
vi.mock('#services/bill-account-chunk.ts', () => ({
  billAccountChunk: async (message: { runId: string }) => {
    await doWork(message.runId);
    return { outcome: 'billed', tally: { billsCreated: 0, accountsBilled: 0, rowsRejected: 0 } };
  },
}));
vi.mock('#services/arrears-scan.ts', () => ({
  scanAccountsForArrears: async (_today: string, accountIds: string[]) => {
    await doWork(accountIds[0]!);
    return { warnings: 0 };
  },
}));

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

const HANDLERS: { name: string; body: (key: string) => unknown }[] = [
  { name: 'send-notice', body: (key) => ({ accountId: '3100010000', noticeId: key }) },
  {
    name: 'bill-chunk',
    body: (key) => ({
      runId: key,
      attempt: '2026-11-01T00:00:00Z',
      chunk: 0,
      accounts: [{ accountId: '3100010000', period: '2026-10' }],
    }),
  },
  { name: 'arrears-chunk', body: (key) => ({ today: '2026-11-20', chunk: 0, accountIds: [key] }) },
];

beforeAll(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
});

describe.each(HANDLERS)('$name invoked twice at once', ({ name, body }) => {
  it('reports each invocation’s failed records, and only those', async () => {
    const { handler } = (await import(`../../../functions/${name}/handler.ts`)) as { handler: Handler };
    const batch = (keys: string[]) =>
      sqsEvent(
        keys.map((key) => ({ MessageId: `${name}-${key}`, Body: JSON.stringify(body(key)) })),
        'arn:aws:sqs:cn-north-1:000000000000:q',
      );
    const keys = ['a-fails', 'a-slow', 'b-ok'].map((k) => `${name.replaceAll('-', '')}${k.replace('-', '')}`);
    const [aFails, aSlow, bOk] = keys as [string, string, string];
    for (const key of keys) expectWork(key);
    const context = lambdaContext(`keybill-${name}`);

    // A's first record fails while its second still works; then B starts, and A's second finishes last.
    const a = handler(batch([aFails, aSlow]), context);
    await vi.waitFor(() => expect(started).toContain(aSlow));
    work.get(aFails)!.fail();
    await work.get(aFails)!.done.catch(() => {});
    const b = handler(batch([bOk]), context);
    await vi.waitFor(() => expect(started).toContain(bOk));
    work.get(bOk)!.succeed();
    const bResponse = await b;
    work.get(aSlow)!.succeed();
    const aResponse = await a;

    expect(aResponse.batchItemFailures).toEqual([{ itemIdentifier: `${name}-${aFails}` }]);
    expect(bResponse.batchItemFailures).toEqual([]);
  });
});
