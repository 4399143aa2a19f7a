import { z } from 'zod';
import { AccountId, DecimalString, IsoDate } from '../primitives.ts';

/*
 * What an operator can set by hand. Every override names a reason and the day it was set; a key-status
 * override also has an expiry date, after which it is ignored (the ranking decides again).
 */

const OverrideBase = z.object({
  accountId: AccountId,
  reason: z.string().trim().min(1),
  /** First day the override applies. */
  setOn: IsoDate,
  /** Last day the override applies (inclusive). */
  expiresOn: IsoDate.optional(),
  setBy: z.string().min(1).optional(),
});

export const KeyStatusOverrideSchema = OverrideBase.extend({
  kind: z.literal('key-status'),
  status: z.enum(['always', 'never']),
  expiresOn: IsoDate,
});
export type KeyStatusOverride = z.infer<typeof KeyStatusOverrideSchema>;

export const ScoreCorrectionSchema = OverrideBase.extend({
  kind: z.literal('score-correction'),
  /** e in V = f(a, b, d, e); bounded by the configuration's correction range. */
  coefficient: DecimalString,
});
export type ScoreCorrection = z.infer<typeof ScoreCorrectionSchema>;

export const ManagerOverrideSchema = OverrideBase.extend({
  kind: z.literal('account-manager'),
  managerId: z.string().min(1),
});
export type ManagerOverride = z.infer<typeof ManagerOverrideSchema>;

export const OperatorOverrideSchema = z.discriminatedUnion('kind', [
  KeyStatusOverrideSchema,
  ScoreCorrectionSchema,
  ManagerOverrideSchema,
]);
export type OperatorOverride = z.infer<typeof OperatorOverrideSchema>;

export const OverrideFileSchema = z.object({ overrides: z.array(OperatorOverrideSchema) });

export const isOverrideActive = (o: OperatorOverride, date: string): boolean =>
  o.setOn <= date && (o.expiresOn === undefined || date <= o.expiresOn);

export interface ActiveOverrides {
  keyStatus: Map<string, KeyStatusOverride>;
  correction: Map<string, ScoreCorrection>;
  manager: Map<string, ManagerOverride>;
  /** Overrides not applied on the date (expired or not yet started), for the report. */
  inactive: OperatorOverride[];
}

/**
 * The overrides in force on `date`, one per account and kind: when two apply, the one set later wins
 * (and, set on the same day, the one later in the list).
 */
export function activeOverrides(overrides: readonly OperatorOverride[], date: string): ActiveOverrides {
  const result: ActiveOverrides = {
    keyStatus: new Map(),
    correction: new Map(),
    manager: new Map(),
    inactive: [],
  };
  const keep = <T extends OperatorOverride>(map: Map<string, T>, o: T) => {
    const existing = map.get(o.accountId);
    if (existing === undefined || existing.setOn <= o.setOn) map.set(o.accountId, o);
  };
  for (const o of overrides) {
    if (!isOverrideActive(o, date)) {
      result.inactive.push(o);
      continue;
    }
    if (o.kind === 'key-status') keep(result.keyStatus, o);
    else if (o.kind === 'score-correction') keep(result.correction, o);
    else keep(result.manager, o);
  }
  return result;
}
