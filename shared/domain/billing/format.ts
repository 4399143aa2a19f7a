import { Dec } from '../money.ts';

/** Groups the integer digits of a plain decimal string in threes: "1234567.5" → "1,234,567.5". */
export function groupDigits(value: string): string {
  const negative = value.startsWith('-');
  const body = negative ? value.slice(1) : value;
  const dot = body.indexOf('.');
  const integer = dot < 0 ? body : body.slice(0, dot);
  const fraction = dot < 0 ? '' : body.slice(dot);
  return `${negative ? '-' : ''}${groupInteger(integer)}${fraction}`;
}

/** Whether the text is all ASCII digits (tested by hand: it runs for every printed figure). */
function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return text.length > 0;
}

/** Commas every three digits from the right; anything but plain digits goes through the general pattern. */
function groupInteger(integer: string): string {
  const length = integer.length;
  if (length <= 3) return integer;
  if (!allDigits(integer)) return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let head = length % 3;
  if (head === 0) head = 3;
  let grouped = integer.slice(0, head);
  for (let i = head; i < length; i += 3) grouped += `,${integer.slice(i, i + 3)}`;
  return grouped;
}

const POWERS_OF_TEN = new Map<number, Dec>();

/** 10^n as a Decimal, cached: register sizes and resolutions are a handful of exponents. */
export function pow10(n: number): Dec {
  let value = POWERS_OF_TEN.get(n);
  if (value === undefined) {
    value = new Dec(10).pow(n);
    POWERS_OF_TEN.set(n, value);
  }
  return value;
}
