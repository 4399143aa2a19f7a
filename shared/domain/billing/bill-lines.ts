import type { BillLine, BillLineCode, DataFinding } from '../bill.ts';
import { FX_ZERO, type Fx, plus, toDP, toFixed } from '../decimal/fixed-point.ts';
import type { LocalisedText, TouBand } from '../primitives.ts';
import { groupDigits } from './format.ts';

/*
 * What every charge shares: amounts rounded to the fen and added in order, and lines printed as they are
 * priced.
 */

/** Rounds to the fen, half-up: every printed amount. */
export function fen(amount: Fx): Fx {
  return toDP(amount, 2);
}

/** Sum of amounts, in order, from zero: how every total of the bill is added up. */
export function sumOf(amounts: readonly Fx[], start: Fx = FX_ZERO): Fx {
  let s = start;
  for (const a of amounts) s = plus(s, a);
  return s;
}

/** A quantity as printed in explanations: exact, grouped, no exponent. */
export function qty(value: Fx): string {
  return groupDigits(toFixed(value));
}

export function withSuffix(label: LocalisedText, suffix: LocalisedText | null): LocalisedText {
  return suffix === null ? label : { 'zh-CN': label['zh-CN'] + suffix['zh-CN'], en: label.en + suffix.en };
}

/**
 * A bill line before printing. The amount is already rounded to the fen; the explanation is complete but
 * for its " = amount" ending.
 */
export interface LineDraft {
  code: BillLineCode;
  label: LocalisedText;
  /** The quantity as printed. */
  quantity: string;
  unit: string;
  unitPrice: string;
  amount: Fx;
  explanation: string;
  tariffEffectiveFrom?: string;
}

export function printLine(d: LineDraft): BillLine {
  const amountText = toFixed(d.amount, 2);
  const line: BillLine = {
    code: d.code,
    label: d.label,
    quantity: d.quantity,
    unit: d.unit,
    unitPrice: d.unitPrice,
    amount: amountText,
    explanation: `${d.explanation} = ${groupDigits(amountText)}`,
  };
  if (d.tariffEffectiveFrom !== undefined) line.tariffEffectiveFrom = d.tariffEffectiveFrom;
  return line;
}

/** What the printed bill says besides the amounts; absent when only the amounts are wanted. */
export interface Printing {
  /** The bill's lines, printed as each is priced (an intermediate list of drafts would only add garbage). */
  lines: BillLine[];
  findings: DataFinding[];
  /** The band energies as the energy lines print them, kept for the consumption summary. */
  bandTexts: Partial<Record<TouBand, string>>;
}

/** Adds a finding once per code (`noted` holds the codes already added). */
export function note(printing: Printing, noted: string[], finding: DataFinding): void {
  if (noted.includes(finding.code)) return;
  noted.push(finding.code);
  printing.findings.push(finding);
}
