import { createHash, createHmac } from 'node:crypto';
import type { Key } from './keyring.ts';
import type { NoticeChannel } from './notices.ts';

/*
 * Recipient keys: what notice ids, warning ids and suppression items say instead of an address. A key is
 * an HMAC-SHA256 of the canonical address under a secret key (the named secret RECIPIENT_KEY_SECRET_ID,
 * separate from the link-signing key), so someone holding notice ids or logs, but not the secret, cannot
 * test candidate numbers against them: a phone number has ~10⁴–10⁸ candidates once its mask is known, and
 * an unkeyed hash of it falls to a brute force in a fraction of a second.
 */

/** A recipient's key on a channel: the same address (however written) always gives the same key. */
export type RecipientKeyOf = (channel: NoticeChannel, address: string) => string;

/** Hex digits of the HMAC kept: 64 bits, no collision among any realistic number of addresses. */
const KEY_HEX_LENGTH = 16;

/**
 * `<key id>.<16 hex digits>`: the id names the secret value it was made with (public, see keyring.ts),
 * so an id made before a rotation is recognisably of the previous key version.
 */
export const RECIPIENT_KEY_PATTERN = `[A-Za-z0-9_-]{8}\\.[0-9a-f]{${KEY_HEX_LENGTH}}`;

/** Email compares case-insensitively; a phone number by its digits, without China's +86 / 0086 prefix. */
export function canonicalAddress(channel: NoticeChannel, address: string): string {
  return channel === 'email'
    ? address.trim().toLowerCase()
    : address.replace(/[^\d]/g, '').replace(/^(00)?86(?=1\d{10}$)/, '');
}

/** Recipient keys under one key (a secret value): pure, so the domain derives ids with it. */
export function keyedRecipientKeys(key: Key): RecipientKeyOf {
  return (channel, address) => {
    const mac = createHmac('sha256', key.material)
      .update(`${channel}:${canonicalAddress(channel, address)}`)
      .digest('hex');
    return `${key.id}.${mac.slice(0, KEY_HEX_LENGTH)}`;
  };
}

/**
 * The key before #11: an unkeyed SHA-256 of the canonical address, which anyone can recompute. Used only
 * to find what was stored under it (migrate-recipient-keys); nothing is named with it any more.
 */
export function unkeyedRecipientKey(channel: NoticeChannel, address: string): string {
  return createHash('sha256')
    .update(`${channel}:${canonicalAddress(channel, address)}`)
    .digest('hex')
    .slice(0, 16);
}
