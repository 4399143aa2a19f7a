import type { Month } from '../calendar/index.ts';
import { div, FX_ZERO, type Fx, fxInt, minus, plus, times, toDP } from '../decimal/fixed-point.ts';
import type { LocalisedText } from '../primitives.ts';
import { BillingInputError } from './errors.ts';
import { firstDateOf, firstDayOf } from './period-month.ts';
import type { CompiledTariff } from './validate.ts';

/** A run of days of the period priced by one tariff version. */
export interface TariffSegment {
  tariff: CompiledTariff;
  fromDay: number;
  toDay: number;
  days: number;
}

/** The tariff versions in force in the period, each with its days (split when a version starts inside). */
export function tariffSegments(
  versions: readonly CompiledTariff[],
  month: Month,
  tariffId: string,
): TariffSegment[] {
  const first = firstDayOf(month);
  const last = first + month.days - 1;
  let current: CompiledTariff | undefined;
  const starts: { tariff: CompiledTariff; day: number }[] = [];
  for (const v of versions) {
    if (v.effectiveDay <= first) current = v;
    else if (v.effectiveDay <= last) starts.push({ tariff: v, day: v.effectiveDay - first + 1 });
  }
  if (current === undefined)
    throw new BillingInputError(
      'account.tariffId',
      versions.length === 0
        ? `no tariff ${tariffId} in the tariffs`
        : `no version of tariff ${tariffId} is in force on ${firstDateOf(month)}`,
    );
  if (starts.length === 0) return [{ tariff: current, fromDay: 1, toDay: month.days, days: month.days }];
  const points = [{ tariff: current, day: 1 }, ...starts];
  return points.map((p, i) => {
    const toDay = i + 1 < points.length ? points[i + 1]!.day - 1 : month.days;
    return { tariff: p.tariff, fromDay: p.day, toDay, days: toDay - p.day + 1 };
  });
}

/**
 * Splits a quantity over tariff segments by days. All but the last share are cut down to 0.01 so that the
 * last one (the remainder) can never be negative and the shares add up exactly.
 */
export function splitByDays(total: Fx, segments: readonly TariffSegment[], daysInMonth: number): Fx[] {
  if (segments.length === 1) return [total];
  const shares: Fx[] = [];
  let allocated = FX_ZERO;
  const days = fxInt(daysInMonth);
  for (let i = 0; i < segments.length; i++) {
    if (i === segments.length - 1) {
      shares.push(minus(total, allocated));
      break;
    }
    const share = toDP(div(times(total, fxInt(segments[i]!.days)), days), 2, true);
    shares.push(share);
    allocated = plus(allocated, share);
  }
  return shares;
}

export function splitNote(s: TariffSegment, split: boolean, daysInMonth: number): string {
  return split ? ` [${s.tariff.effectiveFrom}: ${s.days}/${daysInMonth} days]` : '';
}

export function segmentSuffix(s: TariffSegment): LocalisedText {
  return { 'zh-CN': `（${s.tariff.effectiveFrom} 起）`, en: ` (from ${s.tariff.effectiveFrom})` };
}
