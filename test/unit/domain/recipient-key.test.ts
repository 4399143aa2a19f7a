import { describe, expect, it } from 'vitest';
import { keyOf } from '#domain/keyring.ts';
import type { NoticeChannel } from '#domain/notices.ts';
import {
  keyedRecipientKeys,
  RECIPIENT_KEY_PATTERN,
  type RecipientKeyOf,
  unkeyedRecipientKey,
} from '#domain/recipient-key.ts';
import { maskPhone } from '#notify/index.ts';
import { TEST_RECIPIENT_SECRET, testRecipientKeys } from './recipient-key.fixtures.ts';

describe('recipient key', () => {
  it.each([
    ['13812345678', '+8613812345678'],
    ['138 1234 5678', '008613812345678'],
  ])('treats %s and %s as the same phone', (a, b) => {
    expect(testRecipientKeys('sms', a)).toBe(testRecipientKeys('sms', b));
  });

  it('treats email case-insensitively', () => {
    expect(testRecipientKeys('email', ' A@B.cn')).toBe(testRecipientKeys('email', 'a@b.cn'));
  });

  it('is <key id>.<16 hex digits>, naming the key version it was made with', () => {
    const key = testRecipientKeys('sms', '13812345678');
    expect(key).toMatch(new RegExp(`^${RECIPIENT_KEY_PATTERN}$`));
    expect(key.startsWith(`${keyOf(TEST_RECIPIENT_SECRET).id}.`)).toBe(true);
    expect(key).not.toMatch(/1381234|5678/);
  });

  it('differs between channels and between secrets, and from the unkeyed hash', () => {
    const other = keyedRecipientKeys(keyOf('another-secret-value'));
    expect(testRecipientKeys('sms', '13812345678')).not.toBe(other('sms', '13812345678'));
    expect(testRecipientKeys('email', 'x@y.cn')).not.toBe(testRecipientKeys('sms', 'x@y.cn'));
    expect(testRecipientKeys('sms', '13812345678').split('.')[1]).not.toBe(
      unkeyedRecipientKey('sms', '13812345678'),
    );
  });
});

/** The 50 numbers of a demo run: mobile numbers of the 150/138 ranges. */
const NUMBERS = Array.from(
  { length: 50 },
  (_, i) => `+86150${String(1000 + i * 37).padStart(4, '0')}${String(8660 + i).slice(-4)}`,
);

/**
 * The attack: a log line gives the masked number (`+86150****8660`) and the recipient key; the
 * hidden four digits leave 10⁴ candidates, each hashed and compared with the key.
 */
function bruteForce(masked: string, key: string, guess: RecipientKeyOf): string | undefined {
  const [head, tail] = masked.split('****') as [string, string];
  for (let n = 0; n < 10_000; n++) {
    const candidate = `${head}${String(n).padStart(4, '0')}${tail}`;
    if (guess('sms', candidate) === key) return candidate;
  }
  return undefined;
}

describe('recovering numbers from a masked number and its key (issue #11, item 6)', () => {
  it('recovers every number from the unkeyed hash of before (the reproduction)', () => {
    const recovered = NUMBERS.filter(
      (number) =>
        bruteForce(maskPhone(number), unkeyedRecipientKey('sms', number), unkeyedRecipientKey) === number,
    );
    expect(recovered).toHaveLength(NUMBERS.length);
  });

  it('recovers none from the keyed hash without the secret, whatever key is guessed', () => {
    const guesses: Array<[string, RecipientKeyOf]> = [
      [
        'the unkeyed hash',
        (channel: NoticeChannel, address: string) =>
          `${keyOf(TEST_RECIPIENT_SECRET).id}.${unkeyedRecipientKey(channel, address)}`,
      ],
      ['an empty secret', keyedRecipientKeys(keyOf(''))],
      ['a guessed secret', keyedRecipientKeys(keyOf('keybill'))],
    ];
    // Five of the numbers, each against all 10⁴ candidates under each guess (a failed search tries them all).
    for (const [name, guess] of guesses) {
      const recovered = NUMBERS.slice(0, 5).filter(
        (number) => bruteForce(maskPhone(number), testRecipientKeys('sms', number), guess) !== undefined,
      );
      expect(recovered, name).toEqual([]);
    }
  });

  it('is the same search that succeeds with the secret: the failure is the missing key, not the search', () => {
    const number = NUMBERS[7]!;
    expect(bruteForce(maskPhone(number), testRecipientKeys('sms', number), testRecipientKeys)).toBe(number);
  });
});
