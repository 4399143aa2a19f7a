import type { Month } from '../calendar/index.ts';
import { type Fx, times, toFixed } from '../decimal/fixed-point.ts';
import type { LocalisedText } from '../primitives.ts';
import { fen, type LineDraft, withSuffix } from './bill-lines.ts';
import type { Consumption } from './consumption.ts';
import { groupDigits } from './format.ts';
import { segmentSuffix, splitByDays, splitNote, type TariffSegment } from './tariff-segments.ts';
import type { CompiledTariff } from './validate.ts';

/**
 * Government funds and surcharges: per kWh of the total registers, never floated by ToU. `totalText` is the
 * total as the bill prints it.
 */
export function fundDrafts(
  consumption: Consumption,
  segments: readonly TariffSegment[],
  month: Month,
  totalText: string,
): LineDraft[] {
  const drafts: LineDraft[] = [];
  if (segments.length === 1) {
    // One tariff version (the usual bill): its funds in its order, each on the whole total; a version's fund
    // codes are unique, so this is the general case below without its bookkeeping.
    const grouped = groupDigits(totalText);
    for (const fund of segments[0]!.tariff.fast.funds)
      drafts.push(
        fundDraft(fund, consumption.totalKwh, totalText, fund.label, `${grouped} kWh × ${fund.text} 元`),
      );
    return drafts;
  }
  const shares = splitByDays(consumption.totalKwh, segments, month.days);
  const texts = shares.map((share) => toFixed(share));
  const grouped = texts.map((text) => groupDigits(text));
  const codes: string[] = [];
  for (const s of segments)
    for (const f of s.tariff.fast.funds) if (!codes.includes(f.code)) codes.push(f.code);
  for (const code of codes) {
    segments.forEach((s, i) => {
      const fund = s.tariff.fast.funds.find((f) => f.code === code);
      if (fund === undefined) return;
      const draft = fundDraft(
        fund,
        shares[i]!,
        texts[i]!,
        withSuffix(fund.label, segmentSuffix(s)),
        `${grouped[i]} kWh × ${fund.text} 元${splitNote(s, true, month.days)}`,
      );
      draft.tariffEffectiveFrom = s.tariff.effectiveFrom;
      drafts.push(draft);
    });
  }
  return drafts;
}

function fundDraft(
  fund: CompiledTariff['fast']['funds'][number],
  quantity: Fx,
  quantityText: string,
  label: LocalisedText,
  explanation: string,
): LineDraft {
  return {
    code: `FUND_${fund.code}`,
    label,
    quantity: quantityText,
    unit: 'kWh',
    unitPrice: fund.text,
    amount: fen(times(quantity, fund.price)),
    explanation,
    tariffEffectiveFrom: undefined,
  };
}
