import type { BillDocument, BillLine, PeriodComparison } from '#domain/bill.ts';
import { Dec, dec } from '#domain/money.ts';
import type { Language, TouBand } from '#domain/primitives.ts';
import type { BillHistoryEntry, BillPreviewEmailInput } from './email.ts';
import {
  formatDate,
  formatMoney,
  formatMonthShort,
  formatPercent,
  formatPeriod,
  formatQuantity,
  formatSignedPercent,
  formatUnitPrice,
  parseDecimal,
  percentChange,
  signOf,
  singleLine,
} from './format.ts';
import type { Labels, Phrases } from './messages.ts';
import { messagesFor } from './messages.ts';
import { normalisePhoneNumber } from './phone.ts';

/*
 * The bill-preview email's view model: every text and colour the HTML and plain-text templates print,
 * worked out from the bill (email.ts renders it).
 */

/** Band order on the bill (a local copy: importing primitives.ts at runtime would bundle zod into senders). */
const BANDS: readonly TouBand[] = ['sharp', 'peak', 'flat', 'valley'];

const COLOURS = {
  up: '#b45309',
  down: '#15803d',
  neutral: '#444444',
  band: { sharp: '#b91c1c', peak: '#ea580c', flat: '#2563eb', valley: '#15803d' },
  history: '#9db7d5',
  historyCurrent: '#1f4e79',
} as const;

const arrowFor = (direction: 1 | -1 | 0 | null): string =>
  direction === null ? '•' : direction > 0 ? '▲' : direction < 0 ? '▼' : '■';

/** The most periods the history chart shows, the current one included. */
const HISTORY_PERIODS = 12;
const HISTORY_BAR_MAX_PX = 72;

export interface EmailView {
  lang: Language;
  t: Labels;
  subject: string;
  preheader: string;
  corrected: boolean;
  correctedBanner: string;
  accountName: string;
  accountId: string;
  accountLine: string;
  periodText: string;
  totalText: string;
  dueDateText: string;
  comparisons: { arrow: string; color: string; sentence: string }[];
  consumptionText: string;
  averagePriceText: string | null;
  actions: { text: string; saving: string | null }[];
  lines: { code: string; label: string; quantityText: string; unitPriceText: string; amountText: string }[];
  bands: {
    band: string;
    label: string;
    kwhText: string;
    shareText: string;
    fillWidth: number;
    restWidth: number;
    color: string;
  }[];
  totalKwhText: string;
  powerFactor: {
    valueText: string;
    standardText: string;
    adjustmentText: string;
    verdict: string;
    color: string;
  };
  demand: {
    maxDemandText: string;
    contractedText: string | null;
    capacityText: string;
    verdict: string | null;
    color: string;
  };
  history: {
    range: string;
    extremes: string;
    bars: {
      period: string;
      periodText: string;
      label: string;
      amountText: string;
      heightPx: number;
      color: string;
      labelColor: string;
    }[];
  } | null;
  manager: { name: string; phone: string; tel: string | null; email: string };
  versionText: string | null;
}

export function buildEmailView(input: BillPreviewEmailInput): EmailView {
  const { bill, account, language } = input;
  const { labels: t, phrases } = messagesFor(language);
  const corrected = input.corrected === true;
  const periodText = formatPeriod(bill.period, language);
  const totalText = formatMoney(bill.total);
  const dueDateText = formatDate(bill.dueDate, language);
  const managerName = singleLine(account.accountManager.name);

  return {
    lang: language,
    t,
    subject: singleLine(
      phrases.subject({ period: periodText, total: totalText, accountId: bill.accountId, corrected }),
    ),
    preheader: phrases.preheader({ period: periodText, total: totalText, dueDate: dueDateText }),
    corrected,
    correctedBanner: phrases.correctedBanner({ period: periodText, version: input.version }),
    accountName: singleLine(account.name),
    accountId: bill.accountId,
    accountLine: phrases.accountLine({ accountId: bill.accountId, period: periodText }),
    periodText,
    totalText,
    dueDateText,
    comparisons: comparisonRows(bill, t, language, phrases),
    ...consumptionTexts(bill, phrases),
    actions: actionItems(bill, language, phrases, dueDateText, managerName),
    lines: bill.lines.map((line) => lineRow(line, bill, language)),
    bands: bandRows(bill, t),
    totalKwhText: formatQuantity(bill.consumption.totalKwh),
    powerFactor: powerFactorView(bill, phrases),
    demand: demandView(bill, phrases.demandVerdict),
    history: historyView(input, language, phrases),
    manager: {
      name: managerName,
      phone: singleLine(account.accountManager.phone),
      tel: telHref(account.accountManager.phone),
      email: singleLine(account.accountManager.email),
    },
    versionText: input.version === undefined ? null : phrases.version({ version: input.version }),
  };
}

/** The total against the previous period and the same period last year, where the bill has them. */
function comparisonRows(
  bill: BillDocument,
  t: Labels,
  language: Language,
  phrases: Phrases,
): EmailView['comparisons'] {
  const previous = bill.comparison?.previousPeriod;
  return [
    previous === undefined ? undefined : comparisonRow(previous, t.previousPeriod, language, phrases),
    bill.comparison?.samePeriodLastYear === undefined
      ? undefined
      : comparisonRow(bill.comparison.samePeriodLastYear, t.samePeriodLastYear, language, phrases),
  ].filter((row) => row !== undefined);
}

function comparisonRow(comparison: PeriodComparison, label: string, lang: Language, phrases: Phrases) {
  const percent = comparison.totalChangePercent;
  const direction = percent === null ? 0 : signOf(percent);
  return {
    arrow: arrowFor(percent === null ? null : direction),
    color: direction > 0 ? COLOURS.up : direction < 0 ? COLOURS.down : COLOURS.neutral,
    sentence: phrases.totalChange({
      direction,
      percent: percent === null ? null : formatSignedPercent(percent),
      label,
      period: formatPeriod(comparison.period, lang),
      total: formatMoney(comparison.total),
    }),
  };
}

/** The consumption sentence (kWh against the previous period) and the average price per kWh. */
function consumptionTexts(
  bill: BillDocument,
  phrases: Phrases,
): Pick<EmailView, 'consumptionText' | 'averagePriceText'> {
  const previous = bill.comparison?.previousPeriod;
  const kwhPercent =
    previous === undefined ? null : percentChange(previous.totalKwh, bill.consumption.totalKwh);
  const consumptionText =
    previous === undefined
      ? `${formatQuantity(bill.consumption.totalKwh)} kWh`
      : phrases.kwhChange({
          direction: kwhPercent === null ? 0 : signOf(kwhPercent),
          percent: kwhPercent === null ? null : formatSignedPercent(kwhPercent),
          kwh: formatQuantity(bill.consumption.totalKwh),
          previousKwh: formatQuantity(previous.totalKwh),
        });
  const currentAverage = averagePrice(bill.total, bill.consumption.totalKwh);
  const averagePriceText =
    currentAverage === null
      ? null
      : phrases.averagePrice({
          current: currentAverage,
          previous: previous === undefined ? null : averagePrice(previous.total, previous.totalKwh),
        });
  return { consumptionText, averagePriceText };
}

/** Pay by the due date, the bill's advice, then the account manager to contact. */
function actionItems(
  bill: BillDocument,
  language: Language,
  phrases: Phrases,
  dueDateText: string,
  managerName: string,
): EmailView['actions'] {
  return [
    { text: phrases.payBy({ dueDate: dueDateText }), saving: null },
    ...bill.advice.map((advice) => ({
      text: singleLine(advice.message[language]),
      saving: signOf(advice.saving) > 0 ? phrases.saving({ amount: formatMoney(advice.saving) }) : null,
    })),
    { text: phrases.contactManager({ name: managerName }), saving: null },
  ];
}

function powerFactorView(bill: BillDocument, phrases: Phrases): EmailView['powerFactor'] {
  const adjustmentPercent = bill.powerFactor.adjustmentPercent;
  const pfDirection = signOf(adjustmentPercent);
  const adjustmentText = formatRate(adjustmentPercent);
  return {
    // PF is printed with its two decimals, like the standard it is compared with.
    valueText: bill.powerFactor.value,
    standardText: bill.powerFactor.standard,
    adjustmentText,
    verdict: phrases.powerFactorVerdict({ direction: pfDirection, percent: adjustmentText }),
    color: pfDirection < 0 ? COLOURS.down : pfDirection > 0 ? COLOURS.up : COLOURS.neutral,
  };
}

/** One row of the bill-lines table. The power-factor line's "price" is the adjustment rate. */
function lineRow(line: BillLine, bill: BillDocument, language: Language) {
  const { phrases } = messagesFor(language);
  const isMoneyQuantity = line.unit === '元' || line.unit === 'CNY';
  const quantityText = isMoneyQuantity
    ? formatMoney(line.quantity)
    : `${formatQuantity(line.quantity)} ${phrases.unit(line.unit)}`;
  const unitPriceText =
    line.code === 'POWER_FACTOR_ADJUSTMENT'
      ? formatRate(bill.powerFactor.adjustmentPercent)
      : formatUnitPrice(line.unitPrice);
  return {
    code: line.code,
    label: singleLine(line.label[language]),
    quantityText,
    unitPriceText,
    amountText: formatMoney(line.amount),
  };
}

function bandRows(bill: BillDocument, t: Labels): EmailView['bands'] {
  const present = BANDS.flatMap((band) => {
    const kwh = bill.consumption.byBand[band];
    return kwh === undefined ? [] : [{ band, kwh: parseDecimal(kwh, 'kWh') }];
  });
  const bandSum = present.reduce((acc, b) => acc.plus(b.kwh), dec(0));
  return present.map(({ band, kwh }) => {
    const share = bandSum.isZero() ? dec(0) : kwh.div(bandSum).times(100);
    // A band with any energy gets at least a sliver of bar, so "small" never reads as "none".
    const fill = kwh.isZero() ? 0 : Math.max(1, share.toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber());
    return {
      band,
      label: t.band[band],
      kwhText: formatQuantity(kwh.toString()),
      shareText: formatPercent(share),
      fillWidth: fill,
      restWidth: 100 - fill,
      color: COLOURS.band[band],
    };
  });
}

function demandView(
  bill: BillDocument,
  demandVerdict: (p: { ratioPercent: string; exceeded: boolean }) => string,
): EmailView['demand'] {
  const { maxDemandKw, contractedDemandKw, capacityKva } = bill.demand;
  const contracted = contractedDemandKw === undefined ? undefined : parseDecimal(contractedDemandKw, 'kW');
  const max = parseDecimal(maxDemandKw, 'kW');
  const hasContract = contracted !== undefined && !contracted.isZero();
  const exceeded = hasContract && max.greaterThan(contracted.times('1.05'));
  return {
    maxDemandText: formatQuantity(maxDemandKw),
    contractedText: contractedDemandKw === undefined ? null : formatQuantity(contractedDemandKw),
    capacityText: formatQuantity(capacityKva),
    verdict: hasContract
      ? demandVerdict({ ratioPercent: formatPercent(max.div(contracted).times(100)), exceeded })
      : null,
    color: exceeded ? COLOURS.up : COLOURS.neutral,
  };
}

function historyView(
  input: BillPreviewEmailInput,
  language: Language,
  phrases: Phrases,
): EmailView['history'] {
  if (input.history === undefined || input.history.length === 0) return null;
  const { bill } = input;
  const byPeriod = new Map<string, BillHistoryEntry>();
  for (const entry of input.history) byPeriod.set(entry.period, entry);
  // The bill being previewed wins over a stored summary of an earlier version of the same period.
  byPeriod.set(bill.period, { period: bill.period, total: bill.total, totalKwh: bill.consumption.totalKwh });
  const entries = [...byPeriod.values()]
    .filter((entry) => entry.period <= bill.period)
    .sort((a, b) => a.period.localeCompare(b.period))
    .slice(-HISTORY_PERIODS);
  if (entries.length < 2) return null;
  const totals = entries.map((entry) => parseDecimal(entry.total, 'amount'));
  const max = Dec.max(...totals, dec(0));
  const highIndex = totals.findIndex((total) => total.equals(Dec.max(...totals)));
  const lowIndex = totals.findIndex((total) => total.equals(Dec.min(...totals)));
  const high = entries[highIndex]!;
  const low = entries[lowIndex]!;
  return {
    range: phrases.historyRange({
      from: formatPeriod(entries[0]!.period, language),
      to: formatPeriod(entries.at(-1)!.period, language),
    }),
    extremes: phrases.historyExtremes({
      highPeriod: formatPeriod(high.period, language),
      high: formatMoney(high.total),
      lowPeriod: formatPeriod(low.period, language),
      low: formatMoney(low.total),
    }),
    bars: entries.map((entry, index) => {
      const total = totals[index]!;
      const current = entry.period === bill.period;
      const height =
        max.isZero() || !total.isPositive() ? 0 : total.div(max).times(HISTORY_BAR_MAX_PX).toNumber();
      return {
        period: entry.period,
        periodText: formatPeriod(entry.period, language),
        label: formatMonthShort(entry.period, language),
        amountText: formatMoney(entry.total),
        heightPx: Math.max(2, Math.round(height)),
        color: current ? COLOURS.historyCurrent : COLOURS.history,
        labelColor: current ? COLOURS.historyCurrent : '#666666',
      };
    }),
  };
}

/** Total ÷ kWh as a price per kWh to four decimals, or null without consumption. */
function averagePrice(total: string, totalKwh: string): string | null {
  const kwh = parseDecimal(totalKwh, 'kWh');
  if (kwh.isZero()) return null;
  return formatUnitPrice(
    parseDecimal(total, 'amount').div(kwh).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed(4),
  );
}

/** An adjustment rate: signed, up to two decimals, no trailing zeros (`-0.45%`, `+15%`, `0%`). */
function formatRate(percent: string): string {
  const d = parseDecimal(percent, 'percent').toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  if (d.isZero()) return '0%';
  const text = d.abs().toFixed(d.decimalPlaces());
  return `${d.isNegative() ? '-' : '+'}${text}%`;
}

function telHref(phone: string): string | null {
  const normalised = normalisePhoneNumber(phone);
  return normalised.ok ? normalised.e164 : null;
}
