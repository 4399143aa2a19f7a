import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ArrearsPolicy } from '#domain/arrears/index.ts';
import { DEFAULT_ARREARS_POLICY, parseArrearsPolicyDocument } from '#domain/arrears/index.ts';
import { DEFAULT_FEED_CALENDAR, type FeedCalendar, FeedCalendarSchema } from '#domain/feed-calendar.ts';
import { parseJsonDocument } from '#domain/json-document.ts';
import { DEFAULT_READ_WINDOW, type ReadWindow } from '#domain/meter-read-bounds.ts';

/*
 * The environment the CDK stack gives each function (README "Configuration"), read and validated in one
 * place: a missing or malformed variable fails the cold start with its name, not a call later on.
 */

export const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
};

/** Unset and empty both mean "not configured". */
export const optionalEnv = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** BILL_CHUNK_ACCOUNTS: accounts per chunk message (unset: the service's default). */
export function accountsPerChunkFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 500) {
    throw new Error(`BILL_CHUNK_ACCOUNTS must be an integer from 1 to 500, got "${value}"`);
  }
  return count;
}

/**
 * METER_READ_MAX_AGE_MONTHS: how many months before the current one a drop's period may be (unset: the
 * policy's default, DEFAULT_READ_WINDOW). A replay of old drops, or a local stack replaying fixed test
 * periods, widens it; the other bounds of the window stay as they are.
 */
export function readWindowFromEnv(value: string | undefined): ReadWindow | undefined {
  if (value === undefined || value === '') return undefined;
  // Digits only: Number() would also take '1e2', ' 12' or '0x10'.
  const months = /^[1-9]\d{0,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(months >= 1 && months <= 1200)) {
    throw new Error(
      `METER_READ_MAX_AGE_MONTHS must be an integer from 1 to 1200, got "${value.slice(0, 40)}"`,
    );
  }
  return { ...DEFAULT_READ_WINDOW, maxPeriodAgeMonths: months };
}

/** A file name in the function's own folder: no path, nothing hidden. */
const CODE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The arrears policy (ladder, lead times, working hours, approvers, authority address, payment
 * instructions) is configuration. Deployed, it is the file ARREARS_POLICY_FILE names beside the function's
 * code (the stack writes the policy it validated at synthesis there: context `arrearsPolicy`); a file
 * named but missing or invalid fails the cold start, never falling back to the illustrative default.
 * Locally ARREARS_POLICY may hold its JSON; neither set means the default policy (demos, tests).
 * `codeDir`: the folder of the running code, the bundle's own once bundled.
 */
export function arrearsPolicyFromEnv(codeDir: URL = new URL('.', import.meta.url)): ArrearsPolicy {
  const file = optionalEnv('ARREARS_POLICY_FILE');
  if (file !== undefined) {
    if (!CODE_FILE_NAME.test(file) || file.includes('..')) {
      throw new Error(
        `ARREARS_POLICY_FILE must name a file beside the function's code, got "${file.slice(0, 40)}"`,
      );
    }
    let text: string;
    try {
      text = readFileSync(new URL(file, codeDir), 'utf8');
    } catch (error) {
      throw new Error(`ARREARS_POLICY_FILE ${file} cannot be read: ${(error as Error).message}`);
    }
    return parseArrearsPolicyDocument(text, `ARREARS_POLICY_FILE ${file}`);
  }
  const json = optionalEnv('ARREARS_POLICY');
  return json === undefined ? DEFAULT_ARREARS_POLICY : parseArrearsPolicyDocument(json, 'ARREARS_POLICY');
}

/** FEED_CALENDAR: which drops are expected when (JSON, validated by its schema); unset means the default. */
export function feedCalendarFromEnv(): FeedCalendar {
  const json = optionalEnv('FEED_CALENDAR');
  return json === undefined
    ? DEFAULT_FEED_CALENDAR
    : parseJsonDocument(FeedCalendarSchema, json, 'FEED_CALENDAR', 'a feed calendar');
}

/** A queue URL: an SQS queue name is at most 80 characters, so a few hundred hold any region and account. */
const QueueUrl = z.url().max(300);

const DeadLetterQueuesSchema = z
  .array(
    z
      .object({
        name: z.string().min(1).max(100),
        url: QueueUrl,
        redrivable: z.boolean(),
        sourceUrl: QueueUrl.optional(),
      })
      .strict(),
  )
  .max(50);

/** DEAD_LETTER_QUEUES: the stack's dead-letter queues (JSON: name, url, redrivable, sourceUrl), set by the stack. */
export function deadLetterQueuesFromEnv(): z.infer<typeof DeadLetterQueuesSchema> | undefined {
  const json = optionalEnv('DEAD_LETTER_QUEUES');
  return json === undefined ? undefined : DeadLetterQueuesSchema.parse(JSON.parse(json));
}

/** The time zone of every schedule and local date (customers and operators live in China Standard Time). */
export const timeZoneFromEnv = (): string => optionalEnv('TIME_ZONE') ?? 'Asia/Shanghai';
