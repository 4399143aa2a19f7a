import { describe, expect, it } from 'vitest';
import type { BillHold } from '#domain/bill-hold.ts';
import type { StoredBill } from '#domain/bill-version.ts';
import { prepareSend, readSendInputs } from '#services/notice-request.ts';
import { sampleBill } from '../notify/fixtures.ts';
import { ACCOUNT, notice } from './deliver-notice.fixtures.ts';

/*
 * A preview's history chart shows each earlier period as the customer was sent it: a version an operator
 * holds, or one replaced while held, never appears; the period shows the version sent before it, or
 * nothing when none was sent. October's preview, with September's versions held in turn.
 */

type Status = BillHold['status'];
const SEPTEMBER = '2026-09';
/** September's version n is n × ¥100,000.00, so each version's total names it. */
const septemberTotal = (version: number) => `${version}00000.00`;
const shown = (version: number) => `¥${version}00,000.00`;

const stored = (period: string, version: number, total: string): StoredBill => ({
  accountId: ACCOUNT.accountId,
  period,
  version,
  contentHash: `${period}-${version}`,
  document: sampleBill({ period, total }),
  createdAt: '2026-11-01T00:00:00Z',
});

/** The table as the sender reads it: September's versions held as `holds` says, August never held. */
function table(holds: readonly (Status | undefined)[], extraHolds: BillHold[] = []) {
  const versions = Math.max(1, holds.length);
  const bills = new Map<string, StoredBill>();
  for (let v = 1; v <= versions; v++) bills.set(`${SEPTEMBER}#${v}`, stored(SEPTEMBER, v, septemberTotal(v)));
  bills.set('2026-08#1', stored('2026-08', 1, '512004.66'));
  bills.set('2026-10#1', stored('2026-10', 1, sampleBill().total));
  const holdItems: BillHold[] = [
    ...holds.flatMap((status, i) =>
      status === undefined
        ? []
        : [{ accountId: ACCOUNT.accountId, period: SEPTEMBER, version: i + 1, status } as BillHold],
    ),
    ...extraHolds,
  ];
  const reads: string[] = [];
  const deps = {
    bills: {
      getBill: async (_id: string, period: string, version: number) => {
        reads.push(`getBill ${period} v${version}`);
        return bills.get(`${period}#${version}`);
      },
      // As the table answers: the latest version of each period before October, newest first.
      getBillHistory: async (_id: string, before: string) => {
        reads.push('getBillHistory');
        expect(before).toBe('2026-10');
        return [bills.get(`${SEPTEMBER}#${versions}`)!, bills.get('2026-08#1')!];
      },
    },
    holds: {
      listHolds: async (accountId: string, period?: string) => {
        reads.push(`listHolds ${period ?? 'all'}`);
        return holdItems.filter((h) => h.accountId === accountId);
      },
    },
    accounts: { getAccount: async () => ACCOUNT },
  };
  return { deps, reads, bills };
}

async function octoberPreview(holds: readonly (Status | undefined)[], extraHolds: BillHold[] = []) {
  const { deps, reads } = table(holds, extraHolds);
  const email = notice('email');
  const preview = { ...email, recipient: { ...email.recipient, language: 'en' as const } };
  const inputs = await readSendInputs(preview, deps);
  const out = prepareSend(preview, inputs, { config: { fromAddress: 'bills@example.cn' } });
  if (out.channel !== 'email') throw new Error('an email preview renders an email');
  const historyLines = out.email.text.split('\n').filter((l) => /^- \w{3} \d{4}: /.test(l));
  return { inputs, historyLines, html: out.email.html, reads };
}

describe("a preview's history shows each earlier period as the customer was sent it", () => {
  it.each<{ name: string; holds: (Status | undefined)[]; sent: number | null; earlierRead: boolean }>([
    { name: 'a version never held', holds: [], sent: 1, earlierRead: false },
    { name: 'a released version 1', holds: ['RELEASED'], sent: 1, earlierRead: false },
    { name: 'a held version 1, nothing sent before it', holds: ['HELD'], sent: null, earlierRead: false },
    { name: 'a held correction of a sent version 1', holds: [undefined, 'HELD'], sent: 1, earlierRead: true },
    {
      name: 'a held correction of a released version 1',
      holds: ['RELEASED', 'HELD'],
      sent: 1,
      earlierRead: true,
    },
    {
      name: 'a held version 2 that replaced a held version 1',
      holds: ['SUPERSEDED', 'HELD'],
      sent: null,
      earlierRead: false,
    },
    {
      name: 'a version 2 that replaced a held version 1',
      holds: ['SUPERSEDED', undefined],
      sent: 2,
      earlierRead: false,
    },
    { name: 'a released correction', holds: [undefined, 'RELEASED'], sent: 2, earlierRead: false },
    {
      name: 'a held version 3 after a superseded version 2',
      holds: [undefined, 'SUPERSEDED', 'HELD'],
      sent: 1,
      earlierRead: true,
    },
  ])('$name: September shows version $sent', async ({ holds, sent, earlierRead }) => {
    const { inputs, historyLines, html, reads } = await octoberPreview(holds);
    const september = inputs.history?.find((b) => b.period === SEPTEMBER);
    expect(september?.version ?? null).toBe(sent);
    expect(inputs.history?.map((b) => b.period)).toEqual(
      sent === null ? ['2026-08'] : [SEPTEMBER, '2026-08'],
    );
    expect(historyLines).toEqual([
      '- Aug 2026: ¥512,004.66',
      ...(sent === null ? [] : [`- Sep 2026: ${shown(sent)}`]),
      '- Oct 2026: ¥436,692.08',
    ]);
    // No version the customer was not sent appears anywhere in the email.
    for (let v = 1; v <= holds.length; v++) if (v !== sent) expect(html).not.toContain(shown(v));
    // One query for the account's holds; an earlier version read only for a held latest one.
    expect(reads.filter((r) => r.startsWith('listHolds'))).toEqual(['listHolds all']);
    expect(reads.filter((r) => r.startsWith(`getBill ${SEPTEMBER}`))).toEqual(
      earlierRead ? [`getBill ${SEPTEMBER} v${sent}`] : [],
    );
  });

  it("ignores the holds of other periods, the previewed one's included", async () => {
    const ofOctober = {
      accountId: ACCOUNT.accountId,
      period: '2026-10',
      version: 1,
      status: 'HELD',
    } as BillHold;
    const ofAugustV2 = {
      accountId: ACCOUNT.accountId,
      period: '2026-08',
      version: 2,
      status: 'HELD',
    } as BillHold;
    const { historyLines, reads } = await octoberPreview([], [ofOctober, ofAugustV2]);
    expect(historyLines).toEqual([
      '- Aug 2026: ¥512,004.66',
      '- Sep 2026: ¥100,000.00',
      '- Oct 2026: ¥436,692.08',
    ]);
    expect(reads.filter((r) => r.startsWith('getBill '))).toEqual(['getBill 2026-10 v1']);
  });

  it('leaves a period out when the version sent before a held one is no longer in the table', async () => {
    const { deps } = table([undefined, 'HELD']);
    const gone = {
      ...deps,
      bills: {
        ...deps.bills,
        getBill: async (_a: string, period: string, v: number) =>
          period === SEPTEMBER ? undefined : deps.bills.getBill(_a, period, v),
      },
    };
    const inputs = await readSendInputs(notice('email'), gone);
    expect(inputs.history?.map((b) => `${b.period} v${b.version}`)).toEqual(['2026-08 v1']);
  });

  it('refuses a stored history version that is not a whole number, instead of guessing what was sent', async () => {
    const { deps } = table([]);
    const broken = {
      ...deps,
      bills: {
        ...deps.bills,
        getBillHistory: async () => [{ ...stored(SEPTEMBER, 1, '1.00'), version: Number.POSITIVE_INFINITY }],
      },
    };
    await expect(readSendInputs(notice('email'), broken)).rejects.toThrow(RangeError);
  });

  it('reads no history and no holds for an SMS preview', async () => {
    const { deps, reads } = table([undefined, 'HELD']);
    const inputs = await readSendInputs(notice('sms'), deps);
    expect(inputs.history).toBeUndefined();
    expect(reads).toEqual(['getBill 2026-10 v1']);
  });
});
