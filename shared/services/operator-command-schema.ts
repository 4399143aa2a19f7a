import { z } from 'zod';
import { OperatorOverrideSchema } from '#domain/key-accounts/index.ts';
import { AccountId, IsoDate, Period } from '#domain/primitives.ts';
import { RUN_STATUSES } from '#domain/run.ts';
import { FOLLOW_UP_COMMANDS } from './answers/follow-up-commands.ts';
import { MigrateRecipientKeysCommand } from './migrate-recipient-keys.ts';
import { ListPendingApprovalsCommand, waivePenaltyCommand } from './operator/arrears-command-schemas.ts';
import { ListDeadLettersCommand, RedriveCommand } from './operator/dead-letter-commands.ts';
import { CheckDropsCommand } from './operator/drop-check.ts';

/*
 * The commands operators run, from a Lambda console test event or from the CLI: one schema, so both
 * surfaces accept the same events. Every string has a maximum, so an oversized value is a malformed
 * command here instead of a failure inside S3 or DynamoDB, and none carries control characters (they
 * would end up in logs and in the audit trail).
 */

/** The sizes operators' values may take. */
export const OPERATOR_LIMITS = {
  /** An S3 object key: S3 allows 1,024 bytes of UTF-8. */
  keyBytes: 1024,
  /** A run or plan id: an etag or a hash with a short prefix, far below DynamoDB's key limits. */
  idBytes: 256,
  /** Who gives the command: a name or a staff id. */
  nameChars: 100,
  /** A reason or a note, free text. */
  textChars: 500,
} as const;

/** The drops `run-drop` may run: the two upstream feeds' prefixes of the drop bucket. */
export const RUN_DROP_PREFIXES = { meterReads: 'drops/reads/', payments: 'drops/payments/' } as const;

const utf8Bytes = (value: string): number => new TextEncoder().encode(value).byteLength;
/** No C0 control character (NUL, newline, escape…) and no DEL: a new line in a value would forge a log line. */
const noControlCharacters = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
};

/** An identifier of at most `max` bytes of UTF-8 (a character is at least one byte: `max` characters first). */
const boundedId = (max: number) =>
  z
    .string()
    .min(1)
    .max(max, `at most ${max} bytes`)
    .refine((value) => value.length > max || utf8Bytes(value) <= max, `at most ${max} bytes of UTF-8`)
    .refine(noControlCharacters, 'must not contain control characters');

/** Free text of at most `max` characters, not blank. */
const boundedText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(max, `at most ${max} characters`)
    .refine(noControlCharacters, 'must not contain control characters');

const Name = boundedText(OPERATOR_LIMITS.nameChars);
const Text = boundedText(OPERATOR_LIMITS.textChars);
const Id = boundedId(OPERATOR_LIMITS.idBytes);
/** The bounded fields, for commands whose schema lives with their area (./operator/). */
export const OperatorFields = { Name, Text, Id } as const;

/** S3's bucket naming rules (3–63 lower-case letters, digits, dots and hyphens). */
const BucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name (3–63 a-z, 0-9, . and -)');

/** A drop's key: under one of the feeds' prefixes, a plain path (no `.` or `..` segment, no `//`, no leading `/`). */
const DropKey = boundedId(OPERATOR_LIMITS.keyBytes).superRefine((key, ctx) => {
  if (key.length > OPERATOR_LIMITS.keyBytes) return; // already refused for its size
  const segments = key.split('/');
  const problem = key.startsWith('/')
    ? 'must not start with /'
    : segments.some((s) => s === '.' || s === '..')
      ? 'must not contain . or .. segments'
      : segments.some((s) => s === '')
        ? 'must not contain empty segments (//) or end with /'
        : Object.values(RUN_DROP_PREFIXES).some((prefix) => key.startsWith(prefix))
          ? undefined
          : `must start with ${Object.values(RUN_DROP_PREFIXES).join(' or ')}`;
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** The string fields an override may carry and their bounds (the domain's schema checks their form). */
const OVERRIDE_FIELD_LIMITS: Record<string, { chars: number; text: boolean }> = {
  reason: { chars: OPERATOR_LIMITS.textChars, text: true },
  setBy: { chars: OPERATOR_LIMITS.nameChars, text: true },
  managerId: { chars: OPERATOR_LIMITS.idBytes, text: false },
  coefficient: { chars: 40, text: false },
};

const BoundedOverride = OperatorOverrideSchema.superRefine((override, ctx) => {
  for (const [field, value] of Object.entries(override)) {
    const limit = OVERRIDE_FIELD_LIMITS[field];
    if (limit === undefined || typeof value !== 'string') continue;
    if (value.length > limit.chars || (!limit.text && utf8Bytes(value) > limit.chars)) {
      ctx.addIssue({ code: 'custom', path: [field], message: `at most ${limit.chars} characters` });
    } else if (!noControlCharacters(value)) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'must not contain control characters' });
    }
  }
});

export const OperatorCommand = z.discriminatedUnion('command', [
  z
    .object({
      command: z.literal('run-drop'),
      bucket: BucketName,
      key: DropKey,
      /** Compute the run report without storing bills or sending anything (meter-read drops). */
      dryRun: z.boolean().optional(),
    })
    .strict(),
  z.object({ command: z.literal('get-run'), runId: Id }).strict(),
  z
    .object({
      command: z.literal('list-runs'),
      period: Period.optional(),
      status: z.enum(RUN_STATUSES).optional(),
    })
    .strict()
    .refine((c) => (c.period === undefined) !== (c.status === undefined), {
      message: 'give exactly one of period or status',
    }),
  z
    .object({
      command: z.literal('show-bill'),
      accountId: AccountId,
      period: Period,
      version: z.number().int().positive().max(1_000_000).optional(),
    })
    .strict(),
  z.object({ command: z.literal('list-notices'), accountId: AccountId }).strict(),
  z.object({ command: z.literal('release-deferred') }).strict(),
  z.object({ command: z.literal('reconcile-uncertain') }).strict(),
  z.object({ command: z.literal('set-key-override'), override: BoundedOverride }).strict(),
  z
    .object({
      command: z.literal('approve-disconnection'),
      accountId: AccountId,
      planId: Id.optional(),
      /** Required to approve before the plan exists; with a plan, every bill of it must be named. */
      billIds: z.array(Id).min(1).max(36).optional(),
      by: Name,
      note: Text.optional(),
    })
    .strict(),
  z
    .object({
      command: z.literal('defer-disconnection'),
      accountId: AccountId,
      planId: Id.optional(),
      newDate: IsoDate,
      /** The operator checked the published holidays (needed beyond the official calendar's coverage). */
      confirmWorkingDay: z.boolean().optional(),
      by: Name,
      reason: Text,
    })
    .strict(),
  z
    .object({
      command: z.literal('exempt-disconnection'),
      accountId: AccountId,
      planId: Id.optional(),
      by: Name,
      reason: Text,
      until: IsoDate.optional(),
    })
    .strict(),
  CheckDropsCommand,
  ListDeadLettersCommand,
  RedriveCommand,
  z
    .object({
      command: z.literal('release-bill'),
      accountId: AccountId,
      period: Period,
      version: z.number().int().positive().max(1_000_000).optional(),
      by: Name,
      reason: Text,
    })
    .strict(),
  z.object({ command: z.literal('list-held-bills'), period: Period.optional() }).strict(),
  waivePenaltyCommand(OperatorFields),
  ListPendingApprovalsCommand,
  ...FOLLOW_UP_COMMANDS,
  MigrateRecipientKeysCommand,
]);
export type OperatorCommand = z.infer<typeof OperatorCommand>;
export type OperatorCommandName = OperatorCommand['command'];

/** At most this many issues, each message and path segment this long: a hostile event cannot bloat the answer or the log. */
const MAX_ISSUES = 10;
const MAX_ISSUE_CHARS = 200;
const MAX_PATH_SEGMENT_CHARS = 64;

export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;

/** The issues of a malformed command, each naming its field, bounded in number and size. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  const issues = error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map((segment) => clip(String(segment), MAX_PATH_SEGMENT_CHARS)).join('.'),
    message: clip(issue.message, MAX_ISSUE_CHARS),
  }));
  if (error.issues.length > MAX_ISSUES) {
    issues.push({ path: '', message: `and ${error.issues.length - MAX_ISSUES} more issues` });
  }
  return issues;
}
