import { type Key, type Keyring, keyringOf, keyWithId } from '#domain/keyring.ts';
import type { SecretStore } from './ports/index.ts';

/*
 * The keys of a named secret for the use cases that sign or hash with it (answer links, recipient
 * hashes). Signing takes the current key; checking looks the recorded key id up among the current and
 * previous keys, and once more past the cache when neither has it — the secret may have been rotated
 * since this instance cached it.
 */

export async function keyringFor(secrets: SecretStore, name: string): Promise<Keyring> {
  return keyringOf(await secrets.values(name));
}

/** The key with `keyId`, or undefined when neither the current nor the previous value has it. */
export async function keyById(secrets: SecretStore, name: string, keyId: string): Promise<Key | undefined> {
  const cached = keyWithId(keyringOf(await secrets.values(name)), keyId);
  if (cached !== undefined) return cached;
  return keyWithId(keyringOf(await secrets.values(name, { fresh: true })), keyId);
}
