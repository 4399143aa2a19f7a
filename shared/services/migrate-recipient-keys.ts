import { z } from 'zod';
import type { NoticeChannel } from '#domain/notices.ts';
import { canonicalAddress, unkeyedRecipientKey } from '#domain/recipient-key.ts';
import type { AccountStore, NoticeStore, RecipientKeyer, SuppressionStore } from './ports/index.ts';

/*
 * `migrate-recipient-keys`: moves what is stored under an earlier recipient key to the key in force —
 * the unkeyed SHA-256 of before #11, or the secret's previous value after a rotation. What is looked up
 * by key is the suppression list (a bounced, complained or opted-out address): left under its old key, it
 * would be forgotten and the address written to again. Notice ids are not rewritten (README "Recipient
 * keys" says why): queue messages, SES tags and arrears plans hold them, and planning finds a bill
 * version's earlier previews by address. Suppression items hold no address, so the addresses come from
 * the accounts (contacts, manager) and their notices (every suppression was written for a notice).
 * Idempotent: a second run finds nothing under an old key and moves nothing.
 */

export const MigrateRecipientKeysCommand = z
  .object({ command: z.literal('migrate-recipient-keys') })
  .strict();

export interface RecipientKeyMigrationDeps {
  accounts: Pick<AccountStore, 'listAccounts'>;
  notices: Pick<NoticeStore, 'listNotices'>;
  suppressions: Pick<SuppressionStore, 'suppressionOf' | 'suppressRecipient' | 'removeSuppression'>;
  recipientKeys: RecipientKeyer;
}

export interface RecipientKeyMigration {
  accounts: number;
  /** Distinct addresses looked at (per channel). */
  recipients: number;
  /** Suppressions found under an earlier key and now under the current one. */
  suppressionsMoved: number;
}

export async function migrateRecipientKeys(deps: RecipientKeyMigrationDeps): Promise<RecipientKeyMigration> {
  const [current, previous] = await Promise.all([
    deps.recipientKeys.current(),
    deps.recipientKeys.previous(),
  ]);
  const recipients = new Map<string, { channel: NoticeChannel; address: string }>();
  const accounts = await deps.accounts.listAccounts();
  for (const account of accounts) {
    const add = (channel: NoticeChannel, address: string | undefined) => {
      if (address !== undefined)
        recipients.set(`${channel}#${canonicalAddress(channel, address)}`, { channel, address });
    };
    for (const contact of account.contacts) {
      add('email', contact.email);
      add('sms', contact.phone);
    }
    add('email', account.accountManager.email);
    for (const notice of await deps.notices.listNotices(account.accountId))
      add(notice.channel, notice.recipient.address);
  }
  let suppressionsMoved = 0;
  for (const { channel, address } of recipients.values()) {
    const key = current(channel, address);
    const earlier = new Set([unkeyedRecipientKey(channel, address), previous?.(channel, address)]);
    for (const old of earlier) {
      if (old === undefined || old === key) continue;
      const reason = await deps.suppressions.suppressionOf(channel, old);
      if (reason === undefined) continue;
      if ((await deps.suppressions.suppressionOf(channel, key)) === undefined) {
        await deps.suppressions.suppressRecipient(channel, key, reason);
      }
      await deps.suppressions.removeSuppression(channel, old);
      suppressionsMoved++;
    }
  }
  return { accounts: accounts.length, recipients: recipients.size, suppressionsMoved };
}
