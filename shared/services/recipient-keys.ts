import { keyOf } from '#domain/keyring.ts';
import { keyedRecipientKeys } from '#domain/recipient-key.ts';
import { keyringFor } from './keyring.ts';
import type { RecipientKeyer, SecretStore } from './ports/index.ts';

/** Recipient keys under the named secret `name` of the store (its current and previous values). */
export function secretRecipientKeyer(secrets: SecretStore, name: string): RecipientKeyer {
  return {
    current: async () => keyedRecipientKeys((await keyringFor(secrets, name)).current),
    previous: async () => {
      const { previous } = await keyringFor(secrets, name);
      return previous === undefined ? undefined : keyedRecipientKeys(previous);
    },
  };
}

/** Recipient keys under fixed secret values held in memory: tests, and tools that run without AWS. */
export function fixedRecipientKeyer(current: string, previous?: string): RecipientKeyer {
  const currentKeys = keyedRecipientKeys(keyOf(current));
  const previousKeys = previous === undefined ? undefined : keyedRecipientKeys(keyOf(previous));
  return { current: async () => currentKeys, previous: async () => previousKeys };
}
