import { keyOf } from '#domain/keyring.ts';
import { keyedRecipientKeys } from '#domain/recipient-key.ts';
import { fixedRecipientKeyer } from '#services/recipient-keys.ts';

/** The secret value tests key recipients with (in memory; the stack reads its own from Secrets Manager). */
export const TEST_RECIPIENT_SECRET = 'test-recipient-key-0123456789abcdef0123456789abcdef';

/** Recipient keys under the tests' secret. */
export const testRecipientKeys = keyedRecipientKeys(keyOf(TEST_RECIPIENT_SECRET));

/** The RecipientKeyer port under the tests' secret. */
export const testRecipientKeyer = fixedRecipientKeyer(TEST_RECIPIENT_SECRET);
