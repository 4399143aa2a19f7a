import type { BillDocument, PeriodComparison } from '../bill.ts';
import { shiftPeriod } from '../calendar/index.ts';
import { div, type Fx, fx, fxInt, isZero, minus, times, toDP, toFixed } from '../decimal/fixed-point.ts';
import type { BillSummary } from './compute-bill.ts';
import { BillingInputError } from './errors.ts';

/* The bill's total against the previous period's and the same period's last year, from the given history. */

const DECIMAL = /^-?\d+(\.\d+)?$/;
const HUNDRED = fxInt(100);

export function comparisonWith(
  history: readonly BillSummary[] | undefined,
  period: string,
  total: Fx,
): BillDocument['comparison'] {
  if (history === undefined || history.length === 0) return undefined;
  const previousPeriod = compareWith(history, shiftPeriod(period, -1), total);
  const samePeriodLastYear = compareWith(history, shiftPeriod(period, -12), total);
  if (previousPeriod === undefined && samePeriodLastYear === undefined) return undefined;
  return {
    ...(previousPeriod === undefined ? {} : { previousPeriod }),
    ...(samePeriodLastYear === undefined ? {} : { samePeriodLastYear }),
  };
}

function compareWith(
  history: readonly BillSummary[],
  earlierPeriod: string,
  total: Fx,
): PeriodComparison | undefined {
  const i = history.findIndex((h) => h.period === earlierPeriod);
  if (i < 0) return undefined;
  const h = history[i]!;
  for (const field of ['total', 'totalKwh'] as const)
    if (!DECIMAL.test(h[field]))
      throw new BillingInputError(`history.${i}.${field}`, `${JSON.stringify(h[field])} is not a decimal`);
  const earlier = fx(h.total);
  return {
    period: h.period,
    total: h.total,
    totalKwh: h.totalKwh,
    totalChangePercent: isZero(earlier)
      ? null
      : toFixed(toDP(times(div(minus(total, earlier), earlier), HUNDRED), 1), 1),
  };
}
