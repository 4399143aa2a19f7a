import { Dec } from '#domain/money.ts';

/** Groups the integer digits of a plain decimal string in threes: "1234567.5" → "1,234,567.5". */
export function groupDigits(value: string): string {
  const negative = value.startsWith('-');
  const body = negative ? value.slice(1) : value;
  const dot = body.indexOf('.');
  const integer = dot < 0 ? body : body.slice(0, dot);
  const fraction = dot < 0 ? '' : body.slice(dot);
  return `${negative ? '-' : ''}${integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** A quantity as printed in explanations: exact, grouped, no exponent. */
export const qty = (value: Dec): string => groupDigits(value.toFixed());

/** An amount in yuan as printed in explanations: two decimals, grouped. */
export const money = (value: Dec): string => groupDigits(value.toFixed(2));

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
