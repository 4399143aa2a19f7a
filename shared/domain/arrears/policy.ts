import { z } from 'zod';
import { minutesOfDay } from '../calendar/index.ts';
import { PenaltyRatesSchema } from '../penalty/index.ts';
import { IsoDate, Language, LocalisedText } from '../primitives.ts';

/*
 * The arrears policy document: every number of the escalation ladder, the penalty rates and the
 * disconnection calendar comes from here (billing-rules.md §7–8 say they are contractual or provincial),
 * never from a constant in code. Omitted fields take the defaults of the spec.
 */

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day HH:MM');

const Days = z.number().int();

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
    /** Public holidays that fall on working weekdays. */
    nonWorkingDates: z.array(IsoDate).default([]),
    /** Make-up working days (调休) that fall on a weekend. */
    extraWorkingDates: z.array(IsoDate).default([]),
    workingHours: z
      .object({ start: TimeOfDay.default('09:00'), end: TimeOfDay.default('16:00') })
      .prefault({}),
    /** Time of day a disconnection is planned for (the final reminder must also fall in working hours). */
    preferredTime: TimeOfDay.default('10:00'),
    /** The written notice reaches the customer min to max days before the disconnection (Art. 67: 3–7). */
    noticeLeadDays: z.object({ min: Days.min(1).default(3), max: Days.min(2).default(7) }).prefault({}),
    /** The customer is told again this many minutes before the disconnection. */
    finalReminderMinutesBefore: Days.min(1).max(240).default(30),
    /** Which accounts need a recorded approval before the notice goes out. */
    approvalRequiredFor: z.enum(['important', 'all']).default('important'),
    /** Supply is restored within this many days of the arrears being cleared (Art. 69). */
    restoreWithinDays: Days.min(1).default(3),
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
  paymentInstructions: {
    'zh-CN':
      '请通过银行转账至 国网示例供电公司 账号 6222 0000 0000 0000，或在营业厅、网上国网 App 缴费，并注明户号。',
    en: 'Pay by bank transfer to Example Power Supply Co., account 6222 0000 0000 0000, or at a service hall or in the State Grid app, quoting your account number.',
  },
});

/** Validates a policy document; throws a ZodError naming the field. */
export const parseArrearsPolicy = (input: unknown): ArrearsPolicy => ArrearsPolicySchema.parse(input);
