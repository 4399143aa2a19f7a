import { createHash } from 'node:crypto';

/*
 * Keys made from a named secret's values (shared/services/ports/secrets.ts): each carries a short id,
 * derived from the key itself, that a signature or a keyed hash records, so a verifier knows which key
 * to use — the current one, or the one before a rotation — without trying each.
 */

/** A key and its id: the first 8 characters (48 bits) of its SHA-256, base64url; public, not secret. */
export interface Key {
  readonly id: string;
  readonly material: Buffer;
}

export interface Keyring {
  readonly current: Key;
  readonly previous?: Key;
}

export const KEY_ID_LENGTH = 8;

export function keyOf(secretValue: string): Key {
  const material = Buffer.from(secretValue, 'utf8');
  return { id: createHash('sha256').update(material).digest('base64url').slice(0, KEY_ID_LENGTH), material };
}

export function keyringOf(values: { current: string; previous?: string }): Keyring {
  return values.previous === undefined
    ? { current: keyOf(values.current) }
    : { current: keyOf(values.current), previous: keyOf(values.previous) };
}

/** The key of the ring with this id, if any. */
export const keyWithId = (ring: Keyring, id: string): Key | undefined =>
  [ring.current, ring.previous].find((key) => key?.id === id);
