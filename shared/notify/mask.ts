import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/*
 * Log-safe forms of recipient addresses: enough to tell an operator which contact it was, never the
 * full address. A log line must never hold a full phone number or email address.
 */

const HIDDEN = '****';

/**
 * `+8613812345678` → `+86138****5678`: the country code, at most the first three and the last four
 * national digits, and at least four digits hidden. Unparseable input keeps at most its last four
 * digits. Never leaves more than six digits in a row.
 */
export function maskPhone(raw: string): string {
  const input = raw.normalize('NFKC').trim();
  const parsed = input.length <= 40 ? parsePhoneNumberFromString(input, { defaultCountry: 'CN' }) : undefined;
  if (parsed !== undefined && parsed.countryCallingCode.length <= 3) {
    const national = parsed.nationalNumber;
    const last = Math.min(4, Math.max(0, national.length - 4));
    const first = Math.min(3, Math.max(0, national.length - 4 - last));
    return `+${parsed.countryCallingCode}${national.slice(0, first)}${HIDDEN}${national.slice(national.length - last)}`;
  }
  const digits = input.replace(/\D/g, '');
  const last = Math.min(4, Math.max(0, digits.length - 4));
  return `${input.startsWith('+') ? '+' : ''}${HIDDEN}${digits.slice(digits.length - last)}`;
}

/**
 * `zhang.wei@plant.example.cn` → `z***@p***.cn`: first character of the local part and of the domain,
 * and the top-level domain when it is a plain one.
 */
export function maskEmail(raw: string): string {
  const input = raw.trim();
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1) return '***';
  const local = input.slice(0, at);
  const domain = input.slice(at + 1);
  const tld = domain.includes('.') ? domain.slice(domain.lastIndexOf('.') + 1) : '';
  const safeTld = /^[A-Za-z]{2,24}$/.test(tld) ? `.${tld.toLowerCase()}` : '';
  return `${visibleInitial(local)}***@${visibleInitial(domain)}***${safeTld}`;
}

/** The first character, if it is a letter (a leading digit could start a phone number). */
function visibleInitial(part: string): string {
  const first = Array.from(part)[0] ?? '';
  return /^\p{L}$/u.test(first) ? first : '';
}

/**
 * Free text (a provider's error message) with every email address and every run of seven or more digits
 * (a phone number, however spaced) replaced by a placeholder: fit for a log line next to a notice id.
 */
export function withoutContacts(text: string): string {
  return text
    .replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, '<email>')
    .replace(/\+?\d(?:[\d\s().-]{5,}\d)/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '<number>' : run));
}
