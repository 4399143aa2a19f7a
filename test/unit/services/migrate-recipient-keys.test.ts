import { describe, expect, it } from 'vitest';
import { keyOf } from '#domain/keyring.ts';
import type { NoticeChannel, StoredNotice } from '#domain/notices.ts';
import { keyedRecipientKeys, unkeyedRecipientKey } from '#domain/recipient-key.ts';
import { migrateRecipientKeys } from '#services/migrate-recipient-keys.ts';
import { fixedRecipientKeyer } from '#services/recipient-keys.ts';
import { account } from '../domain/arrears/fixtures.ts';

const CURRENT = 'current-recipient-secret-value-0123456789';
const PREVIOUS = 'previous-recipient-secret-value-987654321';
const current = keyedRecipientKeys(keyOf(CURRENT));
const previous = keyedRecipientKeys(keyOf(PREVIOUS));

/** A suppression list in memory, by channel and key, as the table keeps it (no address). */
function suppressionList(entries: Array<[NoticeChannel, string, string]>) {
  const list = new Map(entries.map(([channel, key, reason]) => [`${channel}#${key}`, reason]));
  return {
    list,
    suppressionOf: async (channel: NoticeChannel, key: string) => list.get(`${channel}#${key}`),
    suppressRecipient: async (channel: NoticeChannel, key: string, reason: string) =>
      void list.set(`${channel}#${key}`, reason),
    removeSuppression: async (channel: NoticeChannel, key: string) => void list.delete(`${channel}#${key}`),
  };
}

const customer = account();
const [contact] = customer.contacts;
/** An address only a notice still knows (a contact removed from the account since). */
const FORMER_CONTACT = 'former.buyer@plant.example.cn';
const notices = {
  listNotices: async () =>
    [{ channel: 'email', recipient: { address: FORMER_CONTACT } }] as unknown as StoredNotice[],
};
const deps = (suppressions: ReturnType<typeof suppressionList>) => ({
  accounts: { listAccounts: async () => [customer] },
  notices,
  suppressions,
  recipientKeys: fixedRecipientKeyer(CURRENT, PREVIOUS),
});

describe('migrate-recipient-keys', () => {
  it('moves suppressions from the unkeyed hash and from the previous secret to the current key', async () => {
    const suppressions = suppressionList([
      ['sms', unkeyedRecipientKey('sms', contact!.phone!), 'opted-out'],
      ['email', unkeyedRecipientKey('email', FORMER_CONTACT), 'Bounce'],
      ['email', previous('email', contact!.email!), 'Complaint'],
    ]);
    const result = await migrateRecipientKeys(deps(suppressions));
    expect(result.suppressionsMoved).toBe(3);
    expect(Object.fromEntries(suppressions.list)).toEqual({
      [`sms#${current('sms', contact!.phone!)}`]: 'opted-out',
      [`email#${current('email', FORMER_CONTACT)}`]: 'Bounce',
      [`email#${current('email', contact!.email!)}`]: 'Complaint',
    });
  });

  it('is idempotent: a second run moves nothing and changes nothing', async () => {
    const suppressions = suppressionList([['sms', unkeyedRecipientKey('sms', contact!.phone!), 'opted-out']]);
    await migrateRecipientKeys(deps(suppressions));
    const after = new Map(suppressions.list);
    expect((await migrateRecipientKeys(deps(suppressions))).suppressionsMoved).toBe(0);
    expect(suppressions.list).toEqual(after);
  });

  it('keeps the reason already stored under the current key', async () => {
    const suppressions = suppressionList([
      ['sms', unkeyedRecipientKey('sms', contact!.phone!), 'opted-out'],
      ['sms', current('sms', contact!.phone!), 'Bounce'],
    ]);
    await migrateRecipientKeys(deps(suppressions));
    expect(Object.fromEntries(suppressions.list)).toEqual({
      [`sms#${current('sms', contact!.phone!)}`]: 'Bounce',
    });
  });

  it('leaves suppressions of addresses it cannot name, and counts what it looked at', async () => {
    const stranger = unkeyedRecipientKey('sms', '13900000000');
    const suppressions = suppressionList([['sms', stranger, 'opted-out']]);
    const result = await migrateRecipientKeys(deps(suppressions));
    expect(result).toMatchObject({ accounts: 1, suppressionsMoved: 0 });
    expect(result.recipients).toBeGreaterThanOrEqual(3);
    expect(suppressions.list.get(`sms#${stranger}`)).toBe('opted-out');
  });
});
