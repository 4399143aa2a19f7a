import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticePlan } from '#domain/notices.ts';
import type { NoticeStore } from '#services/ports/index.ts';
import { createTable } from '../../local/runner/resources.ts';
import { applyEnv, type LocalStack, startLocalStack } from '../../local/stack.ts';

/*
 * The notice claim against DynamoDB Local: the marker a sender records just before its provider call
 * survives a lapsed claim's takeover (so the next delivery knows the call had started), and any status
 * change clears it.
 */

let stack: LocalStack;
let notices: NoticeStore;

const plan = (id: string): NoticePlan => ({
  noticeId: id,
  kind: 'bill-preview',
  accountId: '3100010000',
  period: '2026-10',
  billVersion: 1,
  channel: 'sms',
  recipient: { role: 'customer', name: '张三', address: '+8613800000000', language: 'zh-CN' },
  content: { subject: '', text: '电费预览', textSha256: 'h' },
});
const ref = (id: string) => ({ accountId: '3100010000', noticeId: id });
const FUTURE = '2999-01-01T00:00:00.000Z';
const PAST = '2000-01-01T00:00:00.000Z';

beforeAll(async () => {
  stack = await startLocalStack({ services: ['dynamodb'] });
  applyEnv({ ...stack.env, TABLE_NAME: 'keybill-notice-claims' });
  await createTable('keybill-notice-claims');
  const { tableStores } = await import('#wiring/index.ts');
  notices = tableStores().notices;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the provider-call marker on a notice claim (DynamoDB Local)', () => {
  it('is refused unless the notice is SENDING: a sender that lost its claim does not send', async () => {
    await notices.createNotice(plan('N1'));
    expect(await notices.markProviderCallStarted(ref('N1'))).toBe(false);
    expect(await notices.claimNotice(ref('N1'), PAST)).toMatchObject({ status: 'SENDING' });
    expect(await notices.markProviderCallStarted(ref('N1'))).toBe(true);
    expect(await notices.getNotice('3100010000', 'N1')).toMatchObject({ providerCallPending: true });
  });

  it('survives the takeover of a lapsed claim, and only of a lapsed one', async () => {
    await notices.createNotice(plan('N2'));
    await notices.claimNotice(ref('N2'), PAST);
    await notices.markProviderCallStarted(ref('N2'));
    // Still within its lease: nobody else may take it.
    expect(await notices.claimNotice(ref('N2'), PAST)).toBeUndefined();
    const taken = await notices.claimNotice(ref('N2'), FUTURE);
    expect(taken).toMatchObject({ status: 'SENDING', attempts: 2, providerCallPending: true });
  });

  it('is cleared by every status change', async () => {
    await notices.createNotice(plan('N3'));
    await notices.claimNotice(ref('N3'), PAST);
    await notices.markProviderCallStarted(ref('N3'));
    expect(await notices.transitionNotice(ref('N3'), ['SENDING'], 'UNCERTAIN')).toBe(true);
    const after = await notices.getNotice('3100010000', 'N3');
    expect(after?.status).toBe('UNCERTAIN');
    expect(after?.providerCallPending).toBeUndefined();
  });
});
