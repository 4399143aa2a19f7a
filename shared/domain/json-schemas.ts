import { z } from 'zod';
import { AccountFileSchema } from './account.ts';
import { TariffFileSchema } from './tariff.ts';

/** The documented file formats, generated from the schemas the code validates with. */
export const documentedSchemas = (): Record<string, unknown> => ({
  'accounts.schema.json': z.toJSONSchema(AccountFileSchema, { io: 'input' }),
  'tariffs.schema.json': z.toJSONSchema(TariffFileSchema, { io: 'input' }),
});
