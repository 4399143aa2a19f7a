import type { RecipientKeyOf } from '#domain/recipient-key.ts';

/**
 * The recipient keys in force: an HMAC of the address under the current value of a secret the services
 * never see in clear (read from the secret store and cached there). `previous` gives the keys under the
 * value before the last rotation, while there is one: what the key migration moves from.
 */
export interface RecipientKeyer {
  current(): Promise<RecipientKeyOf>;
  previous(): Promise<RecipientKeyOf | undefined>;
}
