import { z } from 'zod';
import { AccountFileSchema } from './account.ts';
import { ArrearsBillFileSchema, ArrearsPolicySchema, WhatIfEventFileSchema } from './arrears/index.ts';
import { FeedCalendarSchema } from './feed-calendar.ts';
import { KeyAccountConfigFileSchema, OverrideFileSchema } from './key-accounts/index.ts';
import { PaymentRowSchema } from './payment.ts';
import { TariffFileSchema } from './tariff.ts';

/** The documented file formats, generated from the schemas the code validates with. */
export const documentedSchemas = (): Record<string, unknown> => ({
  'accounts.schema.json': z.toJSONSchema(AccountFileSchema, { io: 'input' }),
  'tariffs.schema.json': z.toJSONSchema(TariffFileSchema, { io: 'input' }),
  'arrears-bills.schema.json': z.toJSONSchema(ArrearsBillFileSchema, { io: 'input' }),
  'arrears-policy.schema.json': z.toJSONSchema(ArrearsPolicySchema, { io: 'input' }),
  /** One row of the payments CSV, by column (upstream-feeds.md §2). */
  'arrears-payment-row.schema.json': z.toJSONSchema(PaymentRowSchema, { io: 'input' }),
  'arrears-events.schema.json': z.toJSONSchema(WhatIfEventFileSchema, { io: 'input' }),
  'key-account-config.schema.json': z.toJSONSchema(KeyAccountConfigFileSchema, { io: 'input' }),
  'key-account-overrides.schema.json': z.toJSONSchema(OverrideFileSchema, { io: 'input' }),
  'feed-calendar.schema.json': z.toJSONSchema(FeedCalendarSchema, { io: 'input' }),
});
