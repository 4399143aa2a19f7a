import { z } from 'zod';
import { minutesOfDay } from '../calendar/index.ts';
import { parseJsonDocument } from '../json-document.ts';
import { PenaltyRatesSchema } from '../penalty/index.ts';
import { IsoDate, Language, LocalisedText, NonNegativeDecimalString } from '../primitives.ts';

/*
 * The arrears policy document: every number of the escalation ladder, the penalty rates and the
 * disconnection calendar comes from here (billing-rules.md §7–8 say they are contractual or provincial),
 * never from a constant in code. Omitted fields take the defaults of the spec.
 */

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day HH:MM');

const Days = z.number().int();

const Approver = z.object({ name: z.string().min(1).max(100), email: z.email() });
export type Approver = z.infer<typeof Approver>;

export const LadderPolicySchema = z
  .object({
    /** Days before the due date the courtesy reminder goes out; null: no reminder. */
    reminderDaysBeforeDue: Days.min(0).max(31).nullable().default(3),
    overdueNoticeDaysAfterDue: Days.min(1).default(1),
    /** 催告. */
    paymentDemandDaysAfterDue: Days.min(2).default(15),
    /** The disconnection notice needs the bill MORE than 30 days overdue (条例 Art. 39). */
    disconnectionNoticeDaysAfterDue: Days.min(
      31,
      'a disconnection notice needs more than 30 days overdue',
    ).default(31),
    /** The demand must have had time to work ("sent without result"). */
    minDaysFromDemandToDisconnectionNotice: Days.min(1).default(7),
  })
  .refine((l) => l.paymentDemandDaysAfterDue > l.overdueNoticeDaysAfterDue, {
    message: 'the payment demand comes after the overdue notice',
    path: ['paymentDemandDaysAfterDue'],
  })
  .refine((l) => l.disconnectionNoticeDaysAfterDue > l.paymentDemandDaysAfterDue, {
    message: 'the disconnection notice comes after the payment demand',
    path: ['disconnectionNoticeDaysAfterDue'],
  });
export type LadderPolicy = z.infer<typeof LadderPolicySchema>;

export const DisconnectionPolicySchema = z
  .object({
    /** ISO weekdays (1 = Monday) on which supply may be cut. */
    workingWeekdays: z.array(Days.min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
    /**
     * Follow the official calendar (public holidays and 调休, shared/domain/calendar/official/): a day beyond
     * its coverage is never planned automatically.
     */
    officialCalendar: z.boolean().default(true),
    /** Days off besides the official calendar's (a local holiday). */
    nonWorkingDates: z.array(IsoDate).default([]),
    /** Working days besides the official calendar's. */
    extraWorkingDates: z.array(IsoDate).default([]),
    /** Operators are warned this many days before the official calendar's coverage ends. */
    coverageWarningDays: Days.min(1).max(365).default(60),
    workingHours: z
      .object({ start: TimeOfDay.default('09:00'), end: TimeOfDay.default('16:00') })
      .prefault({}),
    /** Time of day a disconnection is planned for (the final reminder must also fall in working hours). */
    preferredTime: TimeOfDay.default('10:00'),
    /** The written notice reaches the customer min to max days before the disconnection (Art. 67: 3–7). */
    noticeLeadDays: z.object({ min: Days.min(1).default(3), max: Days.min(2).default(7) }).prefault({}),
    /** The customer is told again this many minutes before the disconnection. */
    finalReminderMinutesBefore: Days.min(1).max(240).default(30),
    /** The notice's delivery must come at least this many hours before the minimum lead runs out. */
    deliveryMarginHours: Days.min(0).max(12).default(2),
    /** A notice with no delivery on any customer channel this many hours after it was sent is escalated. */
    deliveryWindowHours: Days.min(1).max(72).default(24),
    /** Which accounts need a recorded approval before the notice goes out (Art. 67: every one). */
    approvalRequiredFor: z.enum(['important', 'all']).default('all'),
    /** The approver is reminded every this many hours while a plan waits for approval. */
    approvalReminderHours: Days.min(1).max(168).default(24),
    /** An approval lapses this many days after it was given if its plan's notice has not gone out. */
    approvalValidDays: Days.min(1).max(90).default(14),
    /** Arrears (open charges and penalty of the overdue bills) below this never lead to a notice. */
    minimumArrears: NonNegativeDecimalString.default('1000'),
    /** Supply is restored within this many working days of the arrears being cleared. */
    restoreWithinWorkingDays: Days.min(1).max(3).default(2),
  })
  .superRefine((d, ctx) => {
    const start = minutesOfDay(d.workingHours.start);
    const end = minutesOfDay(d.workingHours.end);
    const at = minutesOfDay(d.preferredTime);
    if (end <= start) {
      ctx.addIssue({
        code: 'custom',
        path: ['workingHours', 'end'],
        message: 'working hours end after they start',
      });
    }
    if (at > end || at - d.finalReminderMinutesBefore < start) {
      ctx.addIssue({
        code: 'custom',
        path: ['preferredTime'],
        message: 'the disconnection and its final reminder must both fall inside working hours',
      });
    }
    // A notice sent on any day at the scan time must find a disconnection day inside the window.
    if (d.noticeLeadDays.max < d.noticeLeadDays.min + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['noticeLeadDays', 'max'],
        message: 'the notice window must span at least one day (max ≥ min + 1)',
      });
    }
  });
export type DisconnectionPolicy = z.infer<typeof DisconnectionPolicySchema>;

export const ArrearsPolicySchema = z.object({
  policyId: z.string().min(1),
  effectiveFrom: IsoDate,
  /** Only Asia/Shanghai (fixed UTC+8) is supported. */
  timeZone: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
  /** When the daily scan runs, and so when its warnings are sent. */
  scanTime: TimeOfDay.default('09:00'),
  penalty: PenaltyRatesSchema.prefault({}),
  ladder: LadderPolicySchema.prefault({}),
  disconnection: DisconnectionPolicySchema.prefault({}),
  /** The power administration authority, copied on disconnection notices to important customers. */
  authorityEmail: z.email(),
  /**
   * Who approves a disconnection (the responsible manager, Art. 67): per account manager id, else the
   * default approver.
   */
  approvers: z.object({
    default: Approver,
    byAccountManager: z.record(z.string().min(1), Approver).default({}),
  }),
  /**
   * How a payment settles each open bill, oldest first: its charges then its penalty, or the penalty
   * first (README "Arrears and disconnection warnings").
   */
  paymentAllocation: z.enum(['principal-first', 'penalty-first']).default('principal-first'),
  /** How to pay, as printed in every warning. */
  paymentInstructions: LocalisedText,
  /** Language of the account manager's and the authority's copies. */
  internalLanguage: Language.default('zh-CN'),
});
export type ArrearsPolicy = z.infer<typeof ArrearsPolicySchema>;
export type ArrearsPolicyInput = z.input<typeof ArrearsPolicySchema>;

/** A complete policy with the spec's defaults and illustrative contact details (demos, the offline CLI). */
export const DEFAULT_ARREARS_POLICY: ArrearsPolicy = ArrearsPolicySchema.parse({
  policyId: 'default-2026',
  effectiveFrom: '2026-01-01',
  authorityEmail: 'power-authority@example.gov.cn',
  approvers: { default: { name: '营销部负责人', email: 'disconnection-approvals@example.com' } },
  paymentInstructions: {
    'zh-CN':
      '请通过银行转账至 国网示例供电公司 账号 6222 0000 0000 0000，或在营业厅、网上国网 App 缴费，并注明户号。',
    en: 'Pay by bank transfer to Example Power Supply Co., account 6222 0000 0000 0000, or at a service hall or in the State Grid app, quoting your account number.',
  },
});

/** Validates a policy document; throws a ZodError naming the field. */
export const parseArrearsPolicy = (input: unknown): ArrearsPolicy => ArrearsPolicySchema.parse(input);

/**
 * A policy document's JSON text validated, or an Error naming where it came from (`source`) and each
 * field that is wrong (parseJsonDocument).
 */
export const parseArrearsPolicyDocument = (text: string, source: string): ArrearsPolicy =>
  parseJsonDocument(ArrearsPolicySchema, text, source, 'an arrears policy');

/** The responsible manager who approves disconnections for an account manager's accounts. */
export const approverFor = (policy: ArrearsPolicy, accountManagerId: string): Approver =>
  policy.approvers.byAccountManager[accountManagerId] ?? policy.approvers.default;
