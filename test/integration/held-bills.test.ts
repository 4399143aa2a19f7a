import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { MeterReadColumn } from '#domain/meter-read.ts';
import type { NoticePlan, StoredNotice } from '#domain/notices.ts';
import { formatMoney } from '#notify/index.ts';
import type { ArrearsDeps } from '#services/arrears-step.ts';
import type { OperatorResponse } from '#services/operator-commands.ts';
import type { MeterReadDropResult } from '#services/run-meter-read-drop.ts';
import { lambdaContext } from '../../local/runner/aws-events.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { loadAccounts, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * Issue #12 item 3 (Done when): a drop with a swapped multiplier produces a held bill, no preview to the
 * customer, a notice to the account manager, and release-bill sends exactly one preview.
 */

type Row = Record<MeterReadColumn, string>;
const generated = generateAccounts(6, { tariffIds: SAMPLE_TARIFF_IDS, seed: 21 }).filter(
  (g) => g.meters.length === 1,
);
const [swapped, steady] = generated as [(typeof generated)[0], (typeof generated)[0]];
const accountId = swapped.account.accountId;
const readsOf = (period: string, seed: number): Row[] =>
  generateMeterReadRows([swapped, steady], period, { seed });
/** The CT fitted is ten times the one the metering system has on record: every advance reads ×10. */
const withMultiplierTimesTen = (row: Row): Row =>
  row.account_id === accountId ? { ...row, multiplier: String(Number(row.multiplier) * 10) } : row;

describe('a held bill (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let operator: (event: unknown) => Promise<OperatorResponse>;
  let october: MeterReadDropResult;
  const drop = async (key: string, rows: readonly Row[]) => {
    await pipeline.putDrop(key, toCsv(rows));
    const result = (await pipeline.deliverDrop(key)) as MeterReadDropResult;
    await pipeline.planNotices();
    await pipeline.sendNotices();
    return result;
  };
  const octoberNotices = async (id: string) =>
    (await pipeline.stores.notices.listNotices(id)).filter((n) => n.period === '2026-10');
  const emailsTo = async (address: string) =>
    (await stack.ses!.listEmails()).filter((e) => e.destination.to.includes(address));
  const smsTo = (phone: string) =>
    stack.sms!.messages().filter((m) => m.phoneNumber.endsWith(phone.slice(-8)));
  const customer = swapped.account.contacts[0]!;
  const manager = swapped.account.accountManager;

  beforeAll(async () => {
    stack = await startLocalStack({ services: ['dynamodb', 's3', 'sqs', 'ses', 'sms', 'secrets'] });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await loadAccounts(pipeline, [swapped.account, steady.account]);
    const { handler } = await import('../../functions/operator/handler.ts');
    operator = async (event) => (await handler(event, lambdaContext('keybill-operator'))) as OperatorResponse;
    // September as usual: the history October is checked against.
    const september = await drop('drops/reads/2026-09/reads.csv', readsOf('2026-09', 1));
    expect(september).toMatchObject({ accountsBilled: 2, billsHeld: 0 });
    october = await drop('drops/reads/2026-10/reads.csv', readsOf('2026-10', 2).map(withMultiplierTimesTen));
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('bills the account but holds the version, and the run lists it with the reasons', async () => {
    expect(october).toMatchObject({ accountsBilled: 2, billsCreated: 2, billsHeld: 1, accountsNotBilled: 0 });
    expect(october.held).toEqual([
      {
        accountId,
        period: '2026-10',
        version: 1,
        reasons: expect.arrayContaining([
          { rule: 'total-vs-previous-period', message: expect.stringContaining("2026-09's ¥") },
          { rule: 'consumption-vs-previous-period', message: expect.stringContaining('(policy: within 3×') },
        ]),
      },
    ]);
    const run = await pipeline.stores.runs.getRun(october.runId);
    expect(run?.counts).toMatchObject({ billsHeld: 1, accountsNotBilled: 0 });
    // The hold sits beside the version; the document is the engine's, byte for byte.
    const hold = await pipeline.stores.holds.getHold(accountId, '2026-10', 1);
    expect(hold).toMatchObject({ status: 'HELD', policyVersion: '2026-12.1', runId: october.runId });
    expect(
      JSON.stringify((await pipeline.stores.bills.getBill(accountId, '2026-10', 1))!.document),
    ).not.toMatch(/held|hold/i);
  });

  it('sends the customer nothing, and the account manager one notice naming the reasons', async () => {
    expect((await octoberNotices(accountId)).map((n) => [n.kind, n.status])).toEqual([['bill-held', 'SENT']]);
    expect(await emailsTo(customer.email!)).toHaveLength(1); // September's preview only
    expect(smsTo(customer.phone!)).toHaveLength(1);
    const [notice] = await emailsTo(manager.email);
    expect(notice?.subject).toBe(`【账单暂停发送】2026-10 ${swapped.account.name}（${accountId}）`);
    expect(notice?.body.text).toContain("2026-09's ¥");
    expect(notice?.body.text).not.toContain(customer.email!);
    // The other account's October preview went out as usual.
    expect((await octoberNotices(steady.account.accountId)).map((n) => n.status)).toEqual(['SENT', 'SENT']);
  });

  it('tells the manager once, however often the new version is planned again', async () => {
    const { planBillNotices } = await import('#services/plan-bill-notices.ts');
    const { planNoticesDeps } = await import('#wiring/index.ts');
    await planBillNotices({ accountId, period: '2026-10', version: 1 }, planNoticesDeps());
    await pipeline.sendNotices();
    expect(await emailsTo(manager.email)).toHaveLength(1);
  });

  it('lists the held bill with its reasons for the operator', async () => {
    const listed = await operator({ command: 'list-held-bills', period: '2026-10' });
    expect(listed).toMatchObject({
      ok: true,
      result: {
        count: 1,
        heldBills: [{ accountId, period: '2026-10', version: 1, policyVersion: '2026-12.1' }],
      },
    });
    expect(await operator({ command: 'list-held-bills', period: '2026-09' })).toMatchObject({
      ok: true,
      result: { count: 0, heldBills: [] },
    });
  });

  it('refuses to release what is not held or not there, sending nothing', async () => {
    const release = { command: 'release-bill', period: '2026-10', by: '王经理', reason: 'checked' };
    expect(await operator({ ...release, accountId: steady.account.accountId })).toMatchObject({
      ok: false,
      refused: 'not-held',
    });
    expect(await operator({ ...release, accountId: '3100099999' })).toMatchObject({
      ok: false,
      refused: 'no-such-account',
    });
    expect(await operator({ ...release, accountId, version: 9 })).toMatchObject({
      ok: false,
      refused: 'no-such-bill',
    });
    expect(await operator({ ...release, accountId, period: '2026-08' })).toMatchObject({
      ok: false,
      refused: 'no-such-bill',
    });
    await pipeline.sendNotices();
    expect(await emailsTo(customer.email!)).toHaveLength(1);
  });

  it('sends exactly one preview on release, recorded with who and why; a second release sends nothing', async () => {
    const release = {
      command: 'release-bill',
      accountId,
      period: '2026-10',
      by: '王经理',
      reason: 'New CT 4000/5 fitted on 10-12: the multiplier on the reads is right',
    };
    const first = await operator(release);
    expect(first).toMatchObject({
      ok: true,
      result: { released: { accountId, version: 1, by: '王经理' }, previewsPlanned: 2, previewsEnqueued: 2 },
    });
    await pipeline.sendNotices();
    const second = await operator(release);
    expect(second).toMatchObject({ ok: false, kind: 'refused', refused: 'already-released' });
    await pipeline.sendNotices();

    expect(await emailsTo(customer.email!)).toHaveLength(2);
    expect(smsTo(customer.phone!)).toHaveLength(2);
    const kinds = (await octoberNotices(accountId)).map((n) => [n.kind, n.channel, n.status]).sort();
    expect(kinds).toEqual([
      ['bill-held', 'email', 'SENT'],
      ['bill-preview', 'email', 'SENT'],
      ['bill-preview', 'sms', 'SENT'],
    ]);
    expect(await pipeline.stores.holds.getHold(accountId, '2026-10', 1)).toMatchObject({
      status: 'RELEASED',
      release: { by: '王经理', reason: release.reason },
    });
    expect(await operator({ command: 'list-held-bills' })).toMatchObject({ ok: true, result: { count: 0 } });
  });

  it('keeps a released bill owed while a correction of it is held: arrears count the version the customer was sent', async () => {
    const sent = (await pipeline.stores.bills.getBill(accountId, '2026-10', 1))!.document;
    // The same reads with the CT twenty times the recorded one: a new version, held again.
    const timesTwenty = readsOf('2026-10', 2)
      .filter((r) => r.account_id === accountId)
      .map((r) => ({ ...r, multiplier: String(Number(r.multiplier) * 20) }));
    const correction = await drop('drops/reads/2026-10/correction.csv', timesTwenty);
    expect(correction).toMatchObject({ billsHeld: 1, held: [{ accountId, version: 2 }] });
    const held = (await pipeline.stores.bills.getBill(accountId, '2026-10', 2))!.document;
    expect(held.total).not.toBe(sent.total);

    const { scanAccountsForArrears } = await import('#services/arrears-scan.ts');
    const { DEFAULT_ARREARS_POLICY, addDays } = await import('#domain/arrears/index.ts');
    const { testRecipientKeyer } = await import('../unit/domain/recipient-key.fixtures.ts');
    const warned: NoticePlan[] = [];
    // The table's bills, holds and payments; the ladder's own state and outbox in memory.
    const deps = {
      ...pipeline.stores,
      arrearsStates: {
        getArrearsState: async () => undefined,
        putArrearsState: async () => true,
        putArrearsEvents: async () => {},
        listAwaitingApproval: async () => [],
      },
      notices: {
        createNotice: async (plan: NoticePlan) => {
          warned.push(plan);
          return { created: true, notice: { ...plan, status: 'QUEUED' } as StoredNotice };
        },
        transitionNotice: async () => true,
      },
      queue: { enqueue: async () => {} },
      scheduler: { create: async () => {}, delete: async () => {} },
      policy: DEFAULT_ARREARS_POLICY,
      recipientKeys: testRecipientKeyer,
    } as unknown as ArrearsDeps;
    // Three days before the due date: the reminder, stating what is owed.
    await scanAccountsForArrears(addDays(sent.dueDate, -3), [accountId], deps);
    const october = warned.filter((w) =>
      ((w.evidence?.billIds as string[] | undefined) ?? []).includes(`${accountId}#2026-10`),
    );
    const owed = october.map((w) => (w.evidence?.amounts as { arrears?: string } | undefined)?.arrears);
    expect(october.length).toBeGreaterThan(0);
    expect(new Set(owed)).toEqual(new Set([Number(sent.total).toFixed(2)]));
  });

  it("compares November with October as the customer was sent it, and November's preview shows that October", async () => {
    // October: version 1 released (the CT ×10 is right), its correction ×20 held since the previous test.
    const sent = (await pipeline.stores.bills.getBill(accountId, '2026-10', 1))!.document;
    const held = (await pipeline.stores.bills.getBill(accountId, '2026-10', 2))!.document;
    expect(await pipeline.stores.holds.getHold(accountId, '2026-10', 2)).toMatchObject({ status: 'HELD' });
    const november = generateMeterReadRows([swapped], '2026-11', { seed: 5 }).map(withMultiplierTimesTen);
    const billed = await drop('drops/reads/2026-11/swapped.csv', november);
    const bill = (await pipeline.stores.bills.getBill(accountId, '2026-11', 1))!.document;
    expect(bill.comparison?.previousPeriod).toMatchObject({ period: '2026-10', total: sent.total });
    // Held for its demand against the kVA in operation, as October was; measured against the October sent.
    expect(billed.held).toEqual([
      {
        accountId,
        period: '2026-11',
        version: 1,
        reasons: [expect.objectContaining({ rule: 'demand-over-capacity' })],
      },
    ]);
    const release = { command: 'release-bill', accountId, period: '2026-11', by: '王经理', reason: 'CT ×10' };
    expect(await operator(release)).toMatchObject({ ok: true });
    await pipeline.sendNotices();
    const previews = (await emailsTo(customer.email!)).filter((e) => e.subject.includes('2026年11月'));
    expect(previews).toHaveLength(1);
    const { text } = previews[0]!.body;
    expect(text).toContain(`- 2026年10月：${formatMoney(sent.total)}`);
    expect(text).not.toContain(formatMoney(held.total));
  });

  it('checks a corrected drop again, and the corrected version supersedes the held one', async () => {
    const other = steady.account.accountId;
    const november = generateMeterReadRows([steady], '2026-11', { seed: 3 });
    const timesTen = november.map((r) => ({ ...r, multiplier: String(Number(r.multiplier) * 10) }));
    const held = await drop('drops/reads/2026-11/reads.csv', timesTen);
    expect(held).toMatchObject({ billsHeld: 1, held: [{ accountId: other, version: 1 }] });
    const corrected = await drop('drops/reads/2026-11/corrected.csv', november);
    expect(corrected).toMatchObject({ billsCreated: 1, billsHeld: 0, held: [] });
    expect(await pipeline.stores.holds.getHold(other, '2026-11', 1)).toMatchObject({
      status: 'SUPERSEDED',
      supersededBy: 2,
    });
    expect(await pipeline.stores.holds.getHold(other, '2026-11', 2)).toBeUndefined();
    // Only the corrected version's previews went out; the held one can no longer be released.
    const sent = (await pipeline.stores.notices.listNotices(other)).filter((n) => n.period === '2026-11');
    expect(sent.map((n) => [n.kind, n.billVersion]).sort()).toEqual([
      ['bill-held', 1],
      ['bill-preview', 2],
      ['bill-preview', 2],
    ]);
    // The customer never saw version 1: version 2's preview is no correction, in the email or the SMS.
    const contact = steady.account.contacts[0]!;
    const emails = await emailsTo(contact.email!);
    const texts = smsTo(contact.phone!).map((m) => m.message);
    expect(emails.map((e) => e.subject)).toHaveLength(3); // September, October, November's version 2
    expect(texts).toHaveLength(3);
    for (const text of [...emails.map((e) => `${e.subject}\n${e.body.text}`), ...texts]) {
      expect(text).not.toMatch(/更正|Correct/);
    }
    const release = { command: 'release-bill', accountId: other, period: '2026-11', version: 1 };
    expect(await operator({ ...release, by: '王经理', reason: 'late' })).toMatchObject({
      ok: false,
      refused: 'superseded',
    });
  });

  it('gives the same counts as the offline bill on the same bad file', async () => {
    const [swappedRow, steadyRow] = readsOf('2026-08', 4) as [Row, Row];
    const lines = [
      withMultiplierTimesTen(swappedRow), // held
      { ...steadyRow },
      { ...steadyRow, kwh_total_end: String(Number(steadyRow.kwh_total_end) + 1) }, // conflicting: not billed
      { ...swappedRow, meter_id: 'M-BROKEN', multiplier: '-40' }, // rejected at reading
      { ...swappedRow, account_id: '3100099999', meter_id: 'M-STRANGER' }, // no such account
      withMultiplierTimesTen(swappedRow), // the same row twice: one read
    ];
    const csv = toCsv(lines);
    await pipeline.putDrop('drops/reads/2026-08/bad.csv', csv);
    const piped = (await pipeline.deliverDrop('drops/reads/2026-08/bad.csv')) as MeterReadDropResult;
    const { computeOfflineBills } = await import('../../cli/offline-bills.ts');
    const offline = await computeOfflineBills({
      accounts: [swapped.account, steady.account],
      tariffs: SAMPLE_TARIFFS,
      reads: { fileName: 'bad.csv', body: Readable.from([csv]) },
      period: '2026-08',
      now: new Date(),
    });
    const pipelineCounts = {
      rows: piped.rows,
      accepted: piped.accepted,
      rejected: piped.rejected,
      accountsBilled: piped.accountsBilled,
      billsHeld: piped.billsHeld,
    };
    expect(pipelineCounts).toEqual({ rows: 6, accepted: 2, rejected: 4, accountsBilled: 1, billsHeld: 1 });
    expect(offline.counts).toEqual(pipelineCounts);
    expect(offline.accountsNotBilled).toEqual(piped.notBilled);
    expect(offline.bills.map((b) => ('held' in b ? b.holdReasons.map((r) => r.rule) : []))).toEqual(
      piped.held?.map((h) => h.reasons.map((r) => r.rule)),
    );
  });
});
