import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ARREARS_POLICY } from '#domain/arrears/index.ts';
import { DEFAULT_FEED_CALENDAR } from '#domain/feed-calendar.ts';
import { DEFAULT_READ_WINDOW, meterReadWindowBreach } from '#domain/meter-read-bounds.ts';
import {
  arrearsPolicyFromEnv,
  deadLetterQueuesFromEnv,
  feedCalendarFromEnv,
  readWindowFromEnv,
} from '#wiring/env.ts';

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

describe('the arrears policy (ARREARS_POLICY_FILE, ARREARS_POLICY)', () => {
  const codeDir = mkdtempSync(join(tmpdir(), 'keybill-code-'));
  const codeUrl = pathToFileURL(`${codeDir}/`);
  const FIXTURE_TEXT = readFileSync(new URL('../../bundles/arrears-policy.json', import.meta.url), 'utf8');
  writeFileSync(join(codeDir, 'arrears-policy.json'), FIXTURE_TEXT);
  writeFileSync(
    join(codeDir, 'broken-policy.json'),
    '{"policyId": "p", "ladder": {"overdueNoticeDaysAfterDue": 0}}',
  );
  afterAll(() => rmSync(codeDir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  it('reads the file the stack put beside the code, validated', () => {
    vi.stubEnv('ARREARS_POLICY_FILE', 'arrears-policy.json');
    const policy = arrearsPolicyFromEnv(codeUrl);
    expect(policy.policyId).toBe('bundles-test-2026');
    // Omitted fields take the spec's defaults.
    expect(policy.disconnection.noticeLeadDays).toEqual({ min: 3, max: 7 });
  });

  it('takes the default policy only when neither variable is set', () => {
    expect(arrearsPolicyFromEnv(codeUrl)).toEqual(DEFAULT_ARREARS_POLICY);
    vi.stubEnv('ARREARS_POLICY', FIXTURE_TEXT);
    expect(arrearsPolicyFromEnv(codeUrl).policyId).toBe('bundles-test-2026');
  });

  it('stops the cold start, naming the file and the field, rather than fall back to the default', () => {
    vi.stubEnv('ARREARS_POLICY_FILE', 'broken-policy.json');
    expect(() => arrearsPolicyFromEnv(codeUrl)).toThrow(
      /^ARREARS_POLICY_FILE broken-policy\.json is not an arrears policy: .*ladder\.overdueNoticeDaysAfterDue/,
    );
    vi.stubEnv('ARREARS_POLICY_FILE', 'missing.json');
    expect(() => arrearsPolicyFromEnv(codeUrl)).toThrow(/^ARREARS_POLICY_FILE missing\.json cannot be read/);
  });

  it.each([
    '../arrears-policy.json',
    '/etc/passwd',
    '.hidden.json',
    'a/b.json',
    'a\\b.json',
    'x'.repeat(101),
    '..',
  ])('refuses %s, which is not a file beside the code', (file) => {
    vi.stubEnv('ARREARS_POLICY_FILE', file);
    expect(() => arrearsPolicyFromEnv(codeUrl)).toThrow(
      /^ARREARS_POLICY_FILE must name a file beside the function's code/,
    );
  });

  it('names ARREARS_POLICY when its JSON is broken, oversized or not a policy', () => {
    for (const [json, message] of [
      ['{', /^ARREARS_POLICY is not JSON/],
      [`"${'x'.repeat(70_000)}"`, /^ARREARS_POLICY is not an arrears policy: 70002 characters/],
      ['{"policyId": 1}', /^ARREARS_POLICY is not an arrears policy: policyId: /],
    ] as const) {
      vi.stubEnv('ARREARS_POLICY', json);
      expect(() => arrearsPolicyFromEnv(codeUrl)).toThrow(message);
    }
  });
});

describe('FEED_CALENDAR', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('takes the default calendar when unset', () => {
    expect(feedCalendarFromEnv()).toEqual(DEFAULT_FEED_CALENDAR);
  });

  it.each([
    ['{', /^FEED_CALENDAR is not JSON/],
    ['{"version": 7}', /^FEED_CALENDAR is not a feed calendar: version: /],
    [`"${'x'.repeat(70_000)}"`, /^FEED_CALENDAR is not a feed calendar: 70002 characters/],
  ])('stops the cold start, naming the variable, for %s', (json, message) => {
    vi.stubEnv('FEED_CALENDAR', json);
    expect(() => feedCalendarFromEnv()).toThrow(message);
  });
});
