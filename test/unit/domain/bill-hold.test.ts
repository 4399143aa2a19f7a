import { describe, expect, it } from 'vitest';
import { type BillHold, latestVersionSentToCustomer } from '#domain/bill-hold.ts';

/*
 * What a customer was billed for a period is its latest version that reached them: never held, or
 * released by an operator. A held version is not owed yet; a superseded one was replaced unseen.
 */

type Status = BillHold['status'];
const holds = (...entries: [number, Status][]) => entries.map(([version, status]) => ({ version, status }));

describe('the latest version of a period sent to the customer', () => {
  it.each([
    { name: 'a version never held', upTo: 1, holds: holds(), sent: 1 },
    { name: 'a version 1 still held', upTo: 1, holds: holds([1, 'HELD']), sent: undefined },
    { name: 'a released version 1', upTo: 1, holds: holds([1, 'RELEASED']), sent: 1 },
    { name: 'a held correction of a sent version 1', upTo: 2, holds: holds([2, 'HELD']), sent: 1 },
    {
      name: 'a held correction of a released version 1',
      upTo: 2,
      holds: holds([1, 'RELEASED'], [2, 'HELD']),
      sent: 1,
    },
    {
      name: 'a held version 2 after a superseded version 1',
      upTo: 2,
      holds: holds([1, 'SUPERSEDED'], [2, 'HELD']),
      sent: undefined,
    },
    {
      name: 'a held version 3 after a superseded version 2 and a sent version 1',
      upTo: 3,
      holds: holds([2, 'SUPERSEDED'], [3, 'HELD']),
      sent: 1,
    },
    { name: 'a version 2 that replaced a held version 1', upTo: 2, holds: holds([1, 'SUPERSEDED']), sent: 2 },
    {
      name: 'the version before a version 2 (upTo 1) when 1 was superseded',
      upTo: 1,
      holds: holds([1, 'SUPERSEDED']),
      sent: undefined,
    },
    {
      name: 'holds of later versions do not matter',
      upTo: 1,
      holds: holds([2, 'HELD'], [3, 'SUPERSEDED']),
      sent: 1,
    },
    { name: 'no version before version 1 (upTo 0)', upTo: 0, holds: holds(), sent: undefined },
    { name: 'a negative upTo', upTo: -3, holds: holds([1, 'HELD']), sent: undefined },
    { name: 'a hold listed twice', upTo: 2, holds: holds([2, 'HELD'], [2, 'HELD']), sent: 1 },
  ])('$name: $sent', ({ upTo, holds, sent }) => {
    expect(latestVersionSentToCustomer(upTo, holds)).toBe(sent);
  });

  it('walks back past a long run of kept-back versions without counting every version number', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      version: 1_000_000 - i,
      status: 'SUPERSEDED' as const,
    }));
    expect(latestVersionSentToCustomer(1_000_000, many)).toBe(990_000);
    expect(latestVersionSentToCustomer(Number.MAX_SAFE_INTEGER, [])).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([Number.NaN, 1.5, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses a version that is not a whole number (%s)',
    (upTo) => {
      expect(() => latestVersionSentToCustomer(upTo, [])).toThrow(RangeError);
    },
  );
});
