import { regexes } from 'zod';
import type { Account, Contact } from '../account.ts';

/*
 * The account check on the bill path. Accounts arrive already validated (the account file, the
 * repository), yet every bill must still reject an invalid one exactly as AccountSchema does, and the zod
 * parse costs as much as pricing the bill. This recognises the documents AccountSchema certainly accepts
 * unchanged — every field already in its canonical form: no whitespace to trim, defaults either given or
 * filled in below — with plain checks, and returns what AccountSchema would return for the fields anything
 * reads. Anything else (undefined here) goes through AccountSchema itself, which also names the field of
 * an invalid document. compute-bill.equivalence.test.ts compares the two on mutated accounts.
 */

const ACCOUNT_ID = /^[A-Za-z0-9]{1,20}$/;
/** PositiveDecimalString / NonNegativeDecimalString, for values with nothing to trim. */
const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;
const NONZERO_DIGIT = /[1-9]/;
const CATEGORIES: ReadonlySet<unknown> = new Set([
  'large-industrial',
  'general-industrial',
  'commercial',
  'agricultural',
]);
const LANGUAGES: ReadonlySet<unknown> = new Set(['zh-CN', 'en']);
const METHODS: ReadonlySet<unknown> = new Set(['capacity', 'contracted-demand', 'actual-demand']);
const STANDARDS: ReadonlySet<unknown> = new Set(['0.90', '0.85', '0.80']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isString = (v: unknown, min: number): v is string => typeof v === 'string' && v.length >= min;

const isUnsignedDecimal = (v: unknown): v is string => typeof v === 'string' && UNSIGNED_DECIMAL.test(v);

const isPositiveDecimal = (v: unknown): v is string => isUnsignedDecimal(v) && NONZERO_DIGIT.test(v);

const isOptional = <T>(v: unknown, check: (v: unknown) => v is T): boolean => v === undefined || check(v);

const isEmail = (v: unknown): v is string => typeof v === 'string' && regexes.email.test(v);

const isDate = (v: unknown): v is string => typeof v === 'string' && regexes.date.test(v);

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

function isContact(c: unknown): boolean {
  if (!isObject(c)) return false;
  if (!isString(c.name, 1)) return false;
  if (!isOptional(c.email, isEmail)) return false;
  if (!(c.phone === undefined || isString(c.phone, 5))) return false;
  if (!(c.language === undefined || LANGUAGES.has(c.language))) return false;
  if (c.optOut !== undefined) {
    const o = c.optOut;
    if (!isObject(o) || !isOptional(o.email, isBoolean) || !isOptional(o.sms, isBoolean)) return false;
  }
  return c.email !== undefined || c.phone !== undefined;
}

/** The account as AccountSchema parses it, when it certainly parses; undefined when zod must decide. */
export function canonicalAccount(input: unknown): Account | undefined {
  if (!isObject(input)) return undefined;
  const a = input;
  if (!(typeof a.accountId === 'string' && ACCOUNT_ID.test(a.accountId))) return undefined;
  if (!(typeof a.name === 'string' && a.name.length >= 1 && a.name.length <= 200)) return undefined;
  if (!CATEGORIES.has(a.category) || !LANGUAGES.has(a.language)) return undefined;
  if (!isString(a.tariffId, 1) || !METHODS.has(a.basicChargeMethod)) return undefined;
  if (!isPositiveDecimal(a.capacityKva)) return undefined;
  if (!isOptional(a.suspendedKva, isUnsignedDecimal)) return undefined;
  if (!isOptional(a.contractedDemandKw, isPositiveDecimal)) return undefined;
  if (!STANDARDS.has(a.powerFactorStandard)) return undefined;
  if (!isOptional(a.connectedOn, isDate) || !isOptional(a.capacityChangedOn, isDate)) return undefined;
  if (!isOptional(a.previousCapacityKva, isUnsignedDecimal)) return undefined;
  if (!isOptional(a.terminatedOn, isDate)) return undefined;
  const due = a.paymentDueDay;
  if (!(due === undefined || (Number.isInteger(due) && (due as number) >= 1 && (due as number) <= 28)))
    return undefined;
  if (!isOptional(a.important, isBoolean)) return undefined;
  const contacts = a.contacts;
  if (!Array.isArray(contacts) || contacts.length === 0) return undefined;
  for (const c of contacts) if (!isContact(c)) return undefined;
  const m = a.accountManager;
  if (
    !isObject(m) ||
    !isString(m.id, 1) ||
    !isString(m.name, 1) ||
    !isEmail(m.email) ||
    !isString(m.phone, 5)
  )
    return undefined;
  if (a.basicChargeMethod === 'contracted-demand' && a.contractedDemandKw === undefined) return undefined;
  // A stored account has its defaults filled in already: then it is its own canonical form, and the copy
  // (a dozen fields, once per bill) is saved. The engine never changes an account.
  if (a.suspendedKva !== undefined && due !== undefined && a.important !== undefined)
    return a as unknown as Account;
  return {
    ...(a as unknown as Account),
    suspendedKva: (a.suspendedKva as string | undefined) ?? '0',
    paymentDueDay: (due as number | undefined) ?? 20,
    important: (a.important as boolean | undefined) ?? false,
    contacts: contacts as Contact[],
  };
}
