import type { CountryCode } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneNormalisation = { ok: true; e164: string } | { ok: false; reason: string };

export interface NormalisePhoneOptions {
  /** Reject numbers that cannot receive SMS (fixed lines, premium, …): an SMS to them is lost silently. */
  requireMobile?: boolean;
}

/*
 * The "max" metadata validates the number pattern per country; the default "min" metadata checks the
 * length only and accepts e.g. a 10-digit Chinese "mobile" number that no carrier delivers to.
 * Reasons never contain the number: they end up in logs and in the notice record.
 */
export function normalisePhoneNumber(
  raw: string,
  defaultCountry: CountryCode = 'CN',
  options: NormalisePhoneOptions = {},
): PhoneNormalisation {
  const input = raw.normalize('NFKC').trim();
  if (input === '') return { ok: false, reason: 'empty phone number' };
  if (input.length > 40) return { ok: false, reason: 'too long for a phone number' };
  const parsed = parsePhoneNumberFromString(input, { defaultCountry });
  if (parsed === undefined) return { ok: false, reason: 'not a phone number' };
  if (parsed.ext !== undefined)
    return { ok: false, reason: 'has an extension, cannot receive SMS or be dialled directly' };
  if (!parsed.isValid()) return { ok: false, reason: 'not a valid number for its country' };
  if (options.requireMobile === true) {
    const type = parsed.getType();
    if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')
      return { ok: false, reason: 'not a mobile number' };
  }
  return { ok: true, e164: parsed.number };
}
