import { describe, expect, it } from 'vitest';
import type { StoredBill } from '#domain/bill-version.ts';
import { type NoticeChannel, previewCorrectsEarlier, type StoredNotice } from '#domain/notices.ts';
import type { Language } from '#domain/primitives.ts';
import { prepareSend } from '#services/notice-request.ts';
import { sampleAccount, sampleBill } from '../notify/fixtures.ts';

/*
 * A bill preview says "corrected" (更正) only when an earlier version of its period reached the customer:
 * its planner records which version it corrects (`evidence.corrects`, null for none). A held version 1
 * that version 2 replaced was never seen, so version 2 reads like a first preview.
 */

const account = sampleAccount();
const stored = (version: number): StoredBill => ({
  accountId: account.accountId,
  period: '2026-10',
  version,
  contentHash: 'h',
  document: sampleBill(),
  createdAt: '2026-11-01T00:00:00Z',
});

function preview(
  channel: NoticeChannel,
  language: Language,
  billVersion: number,
  evidence?: Record<string, unknown>,
): StoredNotice {
  return {
    noticeId: `2026-10#V${billVersion}#bill-preview#${channel}#k`,
    kind: 'bill-preview',
    accountId: account.accountId,
    period: '2026-10',
    billVersion,
    channel,
    recipient: {
      role: 'customer',
      name: '张伟',
      address: channel === 'email' ? 'zw@plant.example.cn' : '13812345678',
      language,
    },
    ...(evidence === undefined ? {} : { evidence }),
    status: 'SENDING',
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    attempts: 1,
    timeline: [],
  };
}

/** What the customer reads first: the email's subject, or the SMS's text. */
function firstWords(notice: StoredNotice): string {
  const out = prepareSend(
    notice,
    { bill: stored(notice.billVersion), account, history: [] },
    { config: { fromAddress: 'bills@example.cn' } },
  );
  return out.channel === 'email' ? `${out.email.subject}\n${out.email.text}` : out.sms.text;
}

const MARK = { 'zh-CN': '更正', en: 'Correct' } as const;

describe('whether a preview says it corrects an earlier one', () => {
  const cases: {
    name: string;
    billVersion: number;
    evidence?: Record<string, unknown>;
    corrected: boolean;
  }[] = [
    { name: 'a version 1', billVersion: 1, corrected: false },
    {
      name: 'a version 1 whatever its record says',
      billVersion: 1,
      evidence: { corrects: 1 },
      corrected: false,
    },
    {
      name: 'version 2 correcting the version 1 sent',
      billVersion: 2,
      evidence: { corrects: 1 },
      corrected: true,
    },
    {
      name: 'version 2 after a held version 1 never sent',
      billVersion: 2,
      evidence: { corrects: null },
      corrected: false,
    },
    {
      name: 'version 3 correcting version 1 (version 2 was held)',
      billVersion: 3,
      evidence: { corrects: 1, servicePlan: { leadAdvice: null } },
      corrected: true,
    },
    { name: 'version 2 planned before the record existed', billVersion: 2, corrected: true },
    {
      name: 'version 2 planned before the record existed, with a service plan',
      billVersion: 2,
      evidence: { servicePlan: { leadAdvice: null } },
      corrected: true,
    },
    { name: 'a record that is not a version', billVersion: 2, evidence: { corrects: '1' }, corrected: false },
    {
      name: 'a record that is an object',
      billVersion: 2,
      evidence: { corrects: { version: 1 } },
      corrected: false,
    },
  ];

  it.each(cases)('$name: $corrected', ({ billVersion, evidence, corrected }) => {
    expect(previewCorrectsEarlier({ billVersion, ...(evidence === undefined ? {} : { evidence }) })).toBe(
      corrected,
    );
  });

  const rendered = (['email', 'sms'] as const).flatMap((channel) =>
    (['zh-CN', 'en'] as const).flatMap((language) => cases.map((c) => ({ ...c, channel, language }))),
  );
  it.each(rendered)('$channel in $language, $name: says corrected $corrected', (c) => {
    const words = firstWords(preview(c.channel, c.language, c.billVersion, c.evidence));
    if (c.corrected) expect(words).toContain(MARK[c.language]);
    else expect(words).not.toContain(MARK[c.language]);
  });

  it('names the version in the email banner of a correction', () => {
    expect(firstWords(preview('email', 'zh-CN', 3, { corrects: 1 }))).toContain('（现为第 3 版）');
    expect(firstWords(preview('email', 'en', 3, { corrects: 1 }))).toContain('(this is version 3)');
  });
});
