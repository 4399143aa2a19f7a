import { describe, expect, it } from 'vitest';
import {
  countDeliveries,
  type PlannedNotice,
  type ReceivedMessage,
  recipientKey,
} from '../../../scripts/bench/fault-figures.ts';

const preview = (n: number, channel: 'email' | 'sms', over: Partial<PlannedNotice> = {}): PlannedNotice => ({
  noticeId: `N${n}-${channel}`,
  kind: 'bill-preview',
  accountId: `A${n}`,
  channel,
  recipient: channel === 'email' ? `a${n}@example.cn` : `1390000000${n}`,
  status: 'SENT',
  ...over,
});
const email = (to: string): ReceivedMessage => ({ channel: 'email', recipient: to });
const sms = (to: string): ReceivedMessage => ({ channel: 'sms', recipient: to });

describe('countDeliveries (fault suite figures)', () => {
  it('counts nothing for nothing', () => {
    expect(countDeliveries([], [])).toMatchObject({
      expected: 0,
      sent: 0,
      lost: 0,
      failed: 0,
      duplicated: 0,
      unexplainedDuplicates: 0,
      unplanned: 0,
      allowedBecause: [],
    });
  });

  it('counts every planned notice lost when nothing was received and nothing explains it', () => {
    const figures = countDeliveries([preview(1, 'email'), preview(1, 'sms', { status: 'UNCERTAIN' })], []);
    expect(figures).toMatchObject({ expected: 2, sent: 0, lost: 2, failed: 0 });
  });

  it('matches an SMS received in E.164 to the national number, and an email whatever its case', () => {
    const figures = countDeliveries(
      [preview(1, 'email'), preview(1, 'sms')],
      [email(' A1@Example.CN '), sms('+8613900000001')],
    );
    expect(figures).toMatchObject({ expected: 2, sent: 2, lost: 0, duplicated: 0 });
    expect(recipientKey('sms', '+86 139-0000-0001')).toBe(recipientKey('sms', '13900000001'));
  });

  it('never counts a FAILED notice as lost, and counts it as failed', () => {
    const figures = countDeliveries([preview(1, 'email', { status: 'FAILED' })], []);
    expect(figures).toMatchObject({ lost: 0, failed: 1 });
  });

  it('allows the counted resend of an SMS preview (its sender stopped mid-call), not of an email one', () => {
    const figures = countDeliveries(
      [preview(1, 'sms', { uncertainResends: 1 })],
      [sms('13900000001'), sms('13900000001')],
    );
    expect(figures).toMatchObject({ sent: 2, duplicated: 1, allowedDuplicates: 1, unexplainedDuplicates: 0 });
  });

  it('counts a duplicate preview as unexplained, even if the notice claims resends', () => {
    const figures = countDeliveries(
      [preview(1, 'email', { uncertainResends: 1 })],
      [email('a1@example.cn'), email('a1@example.cn')],
    );
    expect(figures).toMatchObject({ sent: 2, duplicated: 1, allowedDuplicates: 0, unexplainedDuplicates: 1 });
  });

  it('allows a warning’s duplicate only as many times as the notice counted its resends', () => {
    const warning = preview(2, 'sms', { kind: 'arrears-warning', uncertainResends: 1 });
    const three = [sms('13900000002'), sms('+8613900000002'), sms('13900000002')];
    const figures = countDeliveries([warning], three);
    expect(figures).toMatchObject({ sent: 3, duplicated: 2, allowedDuplicates: 1, unexplainedDuplicates: 1 });
    expect(figures.allowedBecause).toHaveLength(1);
    expect(figures.allowedBecause[0]).toMatch(/arrears-warning sms of account A2: 1 resend/);
    expect(figures.allowedBecause.join('\n')).not.toMatch(/13900000002|@/);
  });

  it('counts messages for recipients no notice planned apart, never as sent or as covering a lost notice', () => {
    const figures = countDeliveries(
      [preview(1, 'email')],
      [email('stranger@example.cn'), sms('13900000001'), email('a1@example.cn.evil')],
    );
    expect(figures).toMatchObject({ expected: 1, sent: 0, lost: 1, unplanned: 3 });
  });

  it('does not let a copy on one channel cover the other channel', () => {
    const figures = countDeliveries([preview(1, 'email'), preview(1, 'sms')], [email('a1@example.cn')]);
    expect(figures).toMatchObject({ sent: 1, lost: 1 });
  });

  it('lets two notices to one recipient take one copy each, a FAILED one explaining the missing copy', () => {
    const both = [preview(1, 'email'), preview(1, 'email', { noticeId: 'other', status: 'FAILED' })];
    expect(countDeliveries(both, [email('a1@example.cn')])).toMatchObject({
      lost: 0,
      failed: 1,
      duplicated: 0,
    });
    expect(countDeliveries(both, [])).toMatchObject({ lost: 1, failed: 1 });
  });
});
