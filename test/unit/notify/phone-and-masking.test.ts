import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone, normalisePhoneNumber } from '#notify/index.ts';

describe('phone number normalisation', () => {
  it.each([
    ['13812345678', '+8613812345678'],
    ['+86 138 1234 5678', '+8613812345678'],
    ['008613812345678', '+8613812345678'],
    ['86-138-1234-5678', '+8613812345678'],
    ['(+86)13812345678', '+8613812345678'],
    [' 138 1234 5678 ', '+8613812345678'],
    ['１３８１２３４５６７８', '+8613812345678'],
    ['021-6123 4567', '+862161234567'],
    ['+1 415 555 2671', '+14155552671'],
  ])('normalises %j to %s', (raw, e164) => {
    expect(normalisePhoneNumber(raw)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['12345', 'not a valid number for its country'],
    ['+86 138-1234-567', 'not a valid number for its country'],
    ['10012345678', 'not a valid number for its country'],
    ['', 'empty phone number'],
    ['call me', 'not a phone number'],
    ['138 1234 5678 ext 12', 'has an extension, cannot receive SMS or be dialled directly'],
  ])('rejects %j (%s)', (raw, reason) => {
    expect(normalisePhoneNumber(raw)).toEqual({ ok: false, reason });
  });

  it('reads a national number in the given default country', () => {
    expect(normalisePhoneNumber('020 7946 0958', 'GB')).toEqual({ ok: true, e164: '+442079460958' });
  });

  it('rejects a fixed line when the message is an SMS', () => {
    expect(normalisePhoneNumber('021-6123 4567', 'CN', { requireMobile: true })).toEqual({
      ok: false,
      reason: 'not a mobile number',
    });
    expect(normalisePhoneNumber('13812345678', 'CN', { requireMobile: true })).toEqual({
      ok: true,
      e164: '+8613812345678',
    });
  });

  it('never repeats the number in a rejection reason (reasons reach the logs)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[\d -]{0,25}$/), (raw) => {
        const result = normalisePhoneNumber(raw);
        if (!result.ok) expect(result.reason).not.toMatch(/\d/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('log-safe masking', () => {
  it.each([
    ['+8613812345678', '+86138****5678'],
    ['13812345678', '+86138****5678'],
    ['+86 138 1234 5678', '+86138****5678'],
    ['+1 415 555 2671', '+141****2671'],
    ['12345', '+86****5'],
    ['not a number', '****'],
    ['', '****'],
  ])('masks the phone %j as %s', (raw, masked) => {
    expect(maskPhone(raw)).toBe(masked);
  });

  it.each([
    ['zhang.wei@plant.example.cn', 'z***@p***.cn'],
    ['Li.Na@Example.COM', 'L***@E***.com'],
    ['13812345678@sms.example.cn', '***@s***.cn'],
    ['a@b', 'a***@b***'],
    ['no-at-sign', '***'],
    ['@example.cn', '***'],
  ])('masks the email %j as %s', (raw, masked) => {
    expect(maskEmail(raw)).toBe(masked);
  });

  const runsOfSeven = (digits: string) =>
    Array.from({ length: Math.max(0, digits.length - 6) }, (_, i) => digits.slice(i, i + 7));

  it('never leaves seven consecutive digits of a phone number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(\+|00)?[\d ()-]{0,24}$/), (raw) => {
        const masked = maskPhone(raw);
        const maskedRuns = masked.match(/\d+/g) ?? [];
        for (const run of runsOfSeven(raw.replace(/\D/g, ''))) {
          for (const maskedRun of maskedRuns) expect(maskedRun).not.toContain(run);
        }
        expect(maskedRuns.every((r) => r.length < 7)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never leaves seven consecutive digits of an email address', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.stringMatching(/^\d{7,15}$/), (email, digits) => {
        for (const address of [email, `${digits}@${email.split('@')[1]}`]) {
          expect(maskEmail(address)).not.toMatch(/\d{7}/);
          expect(maskEmail(address)).not.toContain(address);
        }
      }),
      { numRuns: 200 },
    );
  });
});
