import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTypedTransientErrors } from '#adapters/aws-errors.ts';
import { DynamoNoticeStore } from '#adapters/dynamodb/notices.ts';
import { DynamoTable } from '#adapters/dynamodb/table.ts';
import type { NoticePlan } from '#domain/notices.ts';
import { createTable } from '../../local/runner/resources.ts';
import { applyEnv, type LocalStack, startLocalStack } from '../../local/stack.ts';

/*
 * A machine whose clock is off the service's by more than the SDK's 4-minute threshold: the SDK then flags
 * every error it gets `clockSkewCorrected`, and a store must still read a failed condition as "it exists"
 * (an idempotent write's second time), not as a transient failure that fails the caller.
 */

const TABLE = 'keybill-clock-skew';
let stack: LocalStack;

/** A notice store on a client made as the product makes it (its errors typed, the SDK retrying). */
const store = () =>
  new DynamoNoticeStore(
    new DynamoTable(
      DynamoDBDocumentClient.from(withTypedTransientErrors(new DynamoDBClient({ maxAttempts: 2 }))),
      TABLE,
    ),
  );

const plan: NoticePlan = {
  noticeId: 'operations#late#meter-reads#2026-12',
  kind: 'operations-notice',
  accountId: 'OPERATIONS',
  period: '2026-12',
  billVersion: 0,
  channel: 'email',
  recipient: { role: 'operations', name: 'operations', address: 'ops@power.example.cn', language: 'zh-CN' },
  content: { subject: 'late', text: 'late', textSha256: 'h' },
};

beforeAll(async () => {
  stack = await startLocalStack({ services: ['dynamodb'] });
  applyEnv(stack.env);
  await createTable(TABLE);
}, 120_000);
afterAll(async () => {
  vi.useRealTimers();
  await stack?.stop();
});

describe("a machine whose clock runs 10 minutes ahead of DynamoDB's", () => {
  it('creates a notice once, and the second time finds it there instead of failing', async () => {
    // Only Date is faked (timers stay real), moving on with real time from 10 minutes ahead.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    const first = await store().createNotice(plan);
    expect(first.created).toBe(true);
    // The SDK flags an error when its offset moved at all, which it does by milliseconds nearly every time:
    // five tries make a store that misreads the flag fail all but surely.
    for (let attempt = 0; attempt < 5; attempt++) {
      const again = await store().createNotice(plan);
      expect(again).toMatchObject({ created: false, notice: { noticeId: plan.noticeId, status: 'QUEUED' } });
    }
  });
});
