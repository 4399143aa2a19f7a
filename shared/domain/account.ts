import { z } from 'zod';
import {
  AccountId,
  IsoDate,
  Language,
  NonNegativeDecimalString,
  PositiveDecimalString,
} from './primitives.ts';

export const PowerFactorStandard = z.enum(['0.90', '0.85', '0.80']);
export type PowerFactorStandard = z.infer<typeof PowerFactorStandard>;

export const BasicChargeMethod = z.enum(['capacity', 'contracted-demand', 'actual-demand']);
export type BasicChargeMethod = z.infer<typeof BasicChargeMethod>;

export const Contact = z
  .object({
    name: z.string().min(1),
    email: z.email().optional(),
    /** As the customer gave it; normalised to E.164 before sending. */
    phone: z.string().min(5).optional(),
    language: Language.optional(),
    optOut: z.object({ email: z.boolean().default(false), sms: z.boolean().default(false) }).optional(),
  })
  .refine((c) => c.email !== undefined || c.phone !== undefined, {
    message: 'a contact needs an email or a phone',
  });
export type Contact = z.infer<typeof Contact>;

export const AccountManager = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.email(),
  phone: z.string().min(5),
});
export type AccountManager = z.infer<typeof AccountManager>;

/** A key account and the parts of its supply contract that billing and notices need. */
export const AccountSchema = z
  .object({
    accountId: AccountId,
    name: z.string().min(1).max(200),
    category: z.enum(['large-industrial', 'general-industrial', 'commercial', 'agricultural']),
    language: Language,
    tariffId: z.string().min(1),
    basicChargeMethod: BasicChargeMethod,
    /** Total transformer + HV motor capacity, kVA. */
    capacityKva: PositiveDecimalString,
    /** Capacity under approved suspension or reduction, excluded from the capacity charge. */
    suspendedKva: NonNegativeDecimalString.default('0'),
    contractedDemandKw: PositiveDecimalString.optional(),
    powerFactorStandard: PowerFactorStandard,
    /** Connection dates that pro-rate the basic charge in their month (billing-rules.md §3). */
    connectedOn: IsoDate.optional(),
    capacityChangedOn: IsoDate.optional(),
    /** Capacity (kVA) before capacityChangedOn: charged for the days before the change in that month. */
    previousCapacityKva: NonNegativeDecimalString.optional(),
    terminatedOn: IsoDate.optional(),
    /** Day of the month after the period on which the bill falls due. */
    paymentDueDay: z.number().int().min(1).max(28).default(20),
    /** 重要用户: disconnection notices also go to the authority and need approval. */
    important: z.boolean().default(false),
    contacts: z.array(Contact).min(1),
    accountManager: AccountManager,
  })
  .refine((a) => a.basicChargeMethod !== 'contracted-demand' || a.contractedDemandKw !== undefined, {
    message: 'contractedDemandKw is required when basicChargeMethod is contracted-demand',
    path: ['contractedDemandKw'],
  });
export type Account = z.infer<typeof AccountSchema>;

export const AccountFileSchema = z.object({ accounts: z.array(AccountSchema).min(1) });
export type AccountFile = z.infer<typeof AccountFileSchema>;
