import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLinkToken,
  MAX_TOKEN_LENGTH,
  parseLinkToken,
  signLinkToken,
  smsLinkCode,
} from '#domain/answers/index.ts';
import { keyOf } from '#domain/keyring.ts';

const key = keyOf('test-signing-key');
const NOW = Date.parse('2026-11-05T02:00:00Z');
const claims = {
  accountId: '3100010000',
  noticeId: '2026-10#V1#bill-preview#email#0123456789abcdef',
  action: 'call-me' as const,
  expiresAt: NOW / 1000 + 3600,
};
const check = (token: string, withKey = key, now = NOW) => {
  const parsed = parseLinkToken(token);
  return parsed === undefined ? { ok: false, reason: 'unparsable' } : checkLinkToken(parsed, withKey, now);
};

describe('signed answer link tokens', () => {
  it('name the account, notice and action under the key id, and check back to the same claims', () => {
    const token = signLinkToken(claims, key);
    expect(token.startsWith(`${key.id}.`)).toBe(true);
    expect(check(token)).toEqual({ ok: true, claims });
  });

  it('carry nothing but ids: no name, address or amount can be in them', () => {
    const token = signLinkToken(claims, key);
    const payload = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
    expect(JSON.parse(payload)).toEqual([claims.accountId, claims.noticeId, 'c', claims.expiresAt]);
  });

  it('are refused as tampered when any character of the payload or MAC changes', () => {
    const token = signLinkToken(claims, key);
    fc.assert(
      fc.property(
        fc.integer({ min: key.id.length + 1, max: token.length - 1 }),
        fc.constantFrom('A', 'b', '_', '-'),
        (i, c) => {
          fc.pre(token[i] !== c && token[i] !== '.');
          const changed = `${token.slice(0, i)}${c}${token.slice(i + 1)}`;
          expect(check(changed).ok).toBe(false);
        },
      ),
    );
  });

  it('are refused under another key, and as expired after their expiry', () => {
    const token = signLinkToken(claims, key);
    expect(check(token, keyOf('another key'))).toEqual({ ok: false, reason: 'tampered' });
    expect(checkLinkToken(parseLinkToken(token)!, undefined, NOW)).toEqual({ ok: false, reason: 'tampered' });
    expect(check(token, key, (claims.expiresAt + 1) * 1000)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it.each([
    ['empty', ''],
    ['oversized', 'a'.repeat(MAX_TOKEN_LENGTH + 1)],
    ['no dots', 'abcdefghijklmnop'],
    ['markup', '<script>.<b>.x'],
    ['a number', 42],
    ['null', null],
  ])('parse nothing from a %s value', (_, value) => {
    expect(parseLinkToken(value)).toBeUndefined();
  });

  it('give an SMS a 16-character code that depends on the key, account and notice', () => {
    const code = smsLinkCode(key, claims.accountId, claims.noticeId);
    expect(code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(smsLinkCode(key, claims.accountId, claims.noticeId)).toBe(code);
    expect(smsLinkCode(keyOf('other'), claims.accountId, claims.noticeId)).not.toBe(code);
    expect(smsLinkCode(key, '3100010001', claims.noticeId)).not.toBe(code);
  });
});
