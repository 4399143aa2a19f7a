import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_READ_WINDOW, meterReadWindowBreach } from '#domain/meter-read-bounds.ts';
import { deadLetterQueuesFromEnv, readWindowFromEnv } from '#wiring/env.ts';

describe('METER_READ_MAX_AGE_MONTHS', () => {
  it('leaves the policy default when unset or empty', () => {
    expect(readWindowFromEnv(undefined)).toBeUndefined();
    expect(readWindowFromEnv('')).toBeUndefined();
  });

  it('widens only how old a period may be', () => {
    const window = readWindowFromEnv('120')!;
    expect(window).toEqual({ ...DEFAULT_READ_WINDOW, maxPeriodAgeMonths: 120 });
    const now = new Date('2027-12-01T00:00:00+08:00');
    const old = { period: '2026-09', readAt: '2026-09-30T23:45:00+08:00' };
    expect(meterReadWindowBreach(old, now)?.column).toBe('period');
    expect(meterReadWindowBreach(old, now, window)).toBeUndefined();
    // The future stays refused.
    expect(
      meterReadWindowBreach({ period: '2099-12', readAt: '2099-12-31T23:45:00+08:00' }, now, window)?.column,
    ).toBe('period');
  });

  it.each(['0', '-3', '1.5', '1201', 'twelve', '1e2', ' 12', '9'.repeat(100_000)])(
    'stops the cold start, naming the variable, for %s',
    (value) => {
      expect(() => readWindowFromEnv(value)).toThrow(
        /^METER_READ_MAX_AGE_MONTHS must be an integer from 1 to 1200/,
      );
    },
  );
});

describe('DEAD_LETTER_QUEUES', () => {
  afterEach(() => vi.unstubAllEnvs());
  const entry = {
    name: 'Chunks/DeadLetters',
    url: 'https://sqs.cn-north-1.amazonaws.com.cn/1/dlq',
    redrivable: true,
    sourceUrl: 'https://sqs.cn-north-1.amazonaws.com.cn/1/chunks',
  };
  const read = (value: unknown) => {
    vi.stubEnv('DEAD_LETTER_QUEUES', JSON.stringify(value));
    return deadLetterQueuesFromEnv();
  };

  it('reads each queue with its source queue, and one without (failed invocations)', () => {
    const failures = {
      name: 'Operator/FailedEvents',
      url: 'https://sqs.cn-north-1.amazonaws.com.cn/1/f',
      redrivable: false,
    };
    expect(read([entry, failures])).toEqual([entry, failures]);
  });

  it.each([
    ['a source that is no URL', [{ ...entry, sourceUrl: 'chunks' }]],
    ['a 1 MB source URL', [{ ...entry, sourceUrl: `https://x/${'q'.repeat(1_000_000)}` }]],
    ['a 1 MB queue URL', [{ ...entry, url: `https://x/${'q'.repeat(1_000_000)}` }]],
    ['a field it does not know', [{ ...entry, destination: 'https://x/y' }]],
    ['51 queues', Array.from({ length: 51 }, () => entry)],
  ])('stops the cold start on %s', (_what, value) => {
    expect(() => read(value)).toThrow();
  });
});
