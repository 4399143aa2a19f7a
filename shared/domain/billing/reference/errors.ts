/**
 * An input the engine cannot bill. `field` names the offending field: a zod path such as
 * `account.contractedDemandKw` or `tariffs.1.energyPrices.peak.purchase` for documents, the canonical CSV
 * column (e.g. `kwh_total_end`) for meter reads, so the pipeline can put it in a reject report.
 */
export class BillingInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'BillingInputError';
    this.field = field;
  }
}

/** Joins a zod issue path the way BillingInputError.field spells it: `tariffs.0.funds.1.pricePerKwh`. */
export const fieldPath = (prefix: string, path: readonly PropertyKey[]): string =>
  [prefix, ...path.map((p) => String(p))].filter((p) => p !== '').join('.');
