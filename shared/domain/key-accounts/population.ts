import type { Account, AccountManager } from '../account.ts';
import { daysInPeriod, shiftPeriod } from '../calendar/index.ts';
import { divideHalfUp, Fx, toFixed } from '../decimal/fixed-point.ts';
import { seededRandom } from '../seeded-random.ts';
import type { UsageBill } from './usage.ts';

export { seededRandom };

/*
 * A generated population of key-account candidates with bill-like history, for tests, the CLI and demos.
 * Monthly energy is log-normal across accounts (a few very large users make most of the revenue, as in
 * any supply area), with per-account load factor, time-of-use mix, power factor, growth and seasonality.
 * Deterministic for a seed.
 *
 * Floats appear only as random draws; every quantity is rounded to whole kWh / kW or to 0.01 of power
 * factor before any arithmetic, and bill amounts are computed exactly (integer fen) from those. Prices are
 * illustrative (billing-rules.md), not a tariff: the bills are "bill-like" (UsageBill, no lines).
 */

export interface PopulationOptions {
  count: number;
  /** Last period of the history (YYYY-MM). */
  lastPeriod: string;
  seed?: number;
  /** Periods of history per account (default 12). */
  periods?: number;
  /** Median monthly energy, kWh (default 300,000). */
  medianKwhPerMonth?: number;
  /** Standard deviation of ln(monthly energy) across accounts (default 1.6: ~20 % of accounts make ~80 %). */
  sigma?: number;
  /** Number of account managers (default one per 200 accounts). */
  managers?: number;
}

export interface Population {
  accounts: Account[];
  bills: UsageBill[];
  managers: AccountManager[];
}

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm away from 0.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

const PLACES = [
  '华东',
  '江南',
  '蜀川',
  '岭南',
  '东海',
  '西江',
  '天府',
  '珠江',
  '黄河',
  '长江',
  '燕山',
  '淮海',
];
const TRADES = [
  '精密铸造',
  '特种钢材',
  '化工新材料',
  '水泥建材',
  '电子玻璃',
  '造纸',
  '数据中心',
  '电解铝',
  '纺织印染',
  '汽车零部件',
  '商业广场',
  '冷链物流',
];
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '军'];

const CATEGORIES: readonly [Account['category'], number][] = [
  ['large-industrial', 0.7],
  ['general-industrial', 0.15],
  ['commercial', 0.12],
  ['agricultural', 0.03],
];

/** Illustrative prices: capacity charge 28 yuan per kVA-month (in fen); energy per kWh (in 1/10,000 yuan). */
const PRICE_FEN = { capacity: 2800n } as const;
const PRICE_E4 = { sharp: 11_520n, peak: 9_600n, flat: 6_200n, valley: 3_100n } as const;

interface Month {
  period: string;
  kwh: number;
  sharp: number;
  peak: number;
  flat: number;
  valley: number;
  demandKw: number;
  pfHundredths: number;
  total: string;
}

export function generatePopulation(options: PopulationOptions): Population {
  const random = seededRandom(options.seed ?? 20261101);
  const periods = options.periods ?? 12;
  const median = options.medianKwhPerMonth ?? 300_000;
  const sigma = options.sigma ?? 1.6;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const managerCount = options.managers ?? Math.max(1, Math.ceil(options.count / 200));
  const managers: AccountManager[] = Array.from({ length: managerCount }, (_, i) => ({
    id: `AM${String(i + 1).padStart(3, '0')}`,
    name: `${pick(SURNAMES)}${pick(GIVEN)}经理`,
    email: `manager${i + 1}@keybill-power.example.cn`,
    phone: `+86139${String(10_000_000 + i).slice(-8)}`,
  }));

  const accounts: Account[] = [];
  const bills: UsageBill[] = [];
  // Twelve extra months before the history give each bill its year-earlier comparison.
  const months = periods + 12;
  const firstPeriod = shiftPeriod(options.lastPeriod, 1 - months);

  // The draws happen in this order (traits, months, then the record's names): the same seed gives the
  // same population.
  for (let i = 0; i < options.count; i += 1) {
    const accountId = `31${String(i + 1).padStart(8, '0')}`;
    const traits = drawAccountTraits(random, median, sigma);
    const series = monthlySeries(traits, firstPeriod, months, random);
    accounts.push(accountRecord(i, accountId, traits, managers, random, pick));
    bills.push(...historyBills(accountId, series, traits.pfStandard));
  }
  return { accounts, bills, managers };
}

/** What one account is like: drawn once, then every month of its history varies around it. */
interface AccountTraits {
  category: Account['category'];
  baseKwh: number;
  loadFactor: number;
  peakSharpShare: number;
  valleyShare: number;
  pfBase: number;
  pfDrift: number;
  annualGrowth: number;
  seasonPhase: number;
  dropsLastMonth: boolean;
  capacityKva: number;
  pfStandard: '0.90' | '0.85';
}

function drawAccountTraits(random: () => number, median: number, sigma: number): AccountTraits {
  let r = random();
  let category: Account['category'] = 'large-industrial';
  for (const [c, p] of CATEGORIES) {
    if (r < p) {
      category = c;
      break;
    }
    r -= p;
  }
  const baseKwh = Math.exp(Math.log(median) + sigma * normal(random));
  const loadFactor = clamp(0.2 + 0.65 * random(), 0.1, 0.95);
  const peakSharpShare = 0.18 + 0.4 * random();
  const valleyShare = Math.min(0.15 + 0.3 * random(), 0.92 - peakSharpShare);
  // Most large users compensate reactive power; about one in six does not keep up.
  const pfBase = random() < 0.17 ? 0.8 + 0.1 * random() : 0.9 + 0.08 * random();
  const pfDrift = normal(random) * 0.003;
  const annualGrowth = 0.02 + 0.12 * normal(random);
  const seasonPhase = random() * 2 * Math.PI;
  const dropsLastMonth = random() < 0.02;
  const utilisation = 0.5 + 0.45 * random();
  const typicalDemand = baseKwh / (loadFactor * 730);
  const capacityKva = Math.max(100, Math.ceil(typicalDemand / 0.9 / utilisation / 50) * 50);
  const pfStandard = capacityKva >= 160 ? '0.90' : '0.85';
  return {
    category,
    baseKwh,
    loadFactor,
    peakSharpShare,
    valleyShare,
    pfBase,
    pfDrift,
    annualGrowth,
    seasonPhase,
    dropsLastMonth,
    capacityKva,
    pfStandard,
  };
}

function monthlySeries(
  traits: AccountTraits,
  firstPeriod: string,
  months: number,
  random: () => number,
): Month[] {
  const { baseKwh, loadFactor, peakSharpShare, valleyShare, pfBase, pfDrift, annualGrowth } = traits;
  const { seasonPhase, dropsLastMonth, capacityKva, pfStandard } = traits;
  const series: Month[] = [];
  for (let m = 0; m < months; m += 1) {
    const period = shiftPeriod(firstPeriod, m);
    const monthOfYear = Number(period.slice(5, 7));
    const trend = (1 + annualGrowth) ** ((m - months + 1) / 12);
    const season = 1 + 0.08 * Math.sin((2 * Math.PI * monthOfYear) / 12 + seasonPhase);
    const noise = clamp(1 + 0.05 * normal(random), 0.8, 1.2);
    const drop = dropsLastMonth && m === months - 1 ? 0.45 : 1;
    const kwh = Math.max(0, Math.round(baseKwh * trend * season * noise * drop));
    const sharp = Math.round(kwh * peakSharpShare * 0.2);
    const peak = Math.round(kwh * peakSharpShare) - sharp;
    const valley = Math.round(kwh * valleyShare);
    const flat = kwh - sharp - peak - valley;
    const hours = daysInPeriod(period) * 24;
    const lf = clamp(loadFactor * (1 + 0.05 * normal(random)), 0.05, 0.98);
    const demandKw = Math.max(1, Math.round(kwh / (lf * hours)));
    const pfHundredths = Math.round(clamp(pfBase + pfDrift * m + 0.01 * normal(random), 0.5, 1) * 100);
    series.push({
      period,
      kwh,
      sharp,
      peak,
      flat,
      valley,
      demandKw,
      pfHundredths,
      total: billTotal(capacityKva, { sharp, peak, flat, valley }, pfHundredths, pfStandard),
    });
  }
  return series;
}

function accountRecord(
  i: number,
  accountId: string,
  traits: AccountTraits,
  managers: readonly AccountManager[],
  random: () => number,
  pick: <T>(list: readonly T[]) => T,
): Account {
  const place = pick(PLACES);
  const trade = pick(TRADES);
  const manager = managers[Math.floor(random() * managers.length)]!;
  const english = random() < 0.1;
  return {
    accountId,
    name: `${place}${trade}有限公司${i + 1}号`,
    category: traits.category,
    language: english ? 'en' : 'zh-CN',
    tariffId: 'SAMPLE-LI-10KV',
    basicChargeMethod: 'capacity',
    capacityKva: String(traits.capacityKva),
    suspendedKva: '0',
    powerFactorStandard: traits.pfStandard,
    paymentDueDay: 20,
    important: random() < 0.05,
    contacts: [
      {
        name: `${pick(SURNAMES)}${pick(GIVEN)}`,
        email: `finance@customer${i + 1}.example.cn`,
        phone: `139${String(20_000_000 + i).slice(-8)}`,
      },
    ],
    accountManager: manager,
  };
}

/** The history's bills: every month after the first twelve, with the month before and the year before. */
function historyBills(accountId: string, series: readonly Month[], pfStandard: '0.90' | '0.85'): UsageBill[] {
  const bills: UsageBill[] = [];
  for (let m = 12; m < series.length; m += 1) {
    const cur = series[m]!;
    const prev = series[m - 1]!;
    const lastYear = series[m - 12]!;
    bills.push({
      accountId,
      period: cur.period,
      total: cur.total,
      dueDate: `${shiftPeriod(cur.period, 1)}-20`,
      consumption: {
        totalKwh: String(cur.kwh),
        byBand: {
          sharp: String(cur.sharp),
          peak: String(cur.peak),
          flat: String(cur.flat),
          valley: String(cur.valley),
        },
        maxDemandKw: String(cur.demandKw),
      },
      powerFactor: {
        value: toFixed(new Fx(BigInt(cur.pfHundredths), 2), 2),
        standard: pfStandard,
      },
      comparison: {
        previousPeriod: { period: prev.period, total: prev.total, totalKwh: String(prev.kwh) },
        samePeriodLastYear: {
          period: lastYear.period,
          total: lastYear.total,
          totalKwh: String(lastYear.kwh),
        },
      },
    });
  }
  return bills;
}

/**
 * Basic + energy + a simplified power-factor adjustment, each line rounded half-up to the fen, then added.
 * In integer fen and 1/10,000 yuan (BigInt, exact like Decimal): the generator prices some 120,000 months.
 */
function billTotal(
  capacityKva: number,
  bands: { sharp: number; peak: number; flat: number; valley: number },
  pfHundredths: number,
  standard: '0.90' | '0.85',
): string {
  const basicFen = BigInt(capacityKva) * PRICE_FEN.capacity;
  const energyTenThousandths =
    BigInt(bands.sharp) * PRICE_E4.sharp +
    BigInt(bands.peak) * PRICE_E4.peak +
    BigInt(bands.flat) * PRICE_E4.flat +
    BigInt(bands.valley) * PRICE_E4.valley;
  const energyFen = divideHalfUp(energyTenThousandths, 100n);
  // Half a percent per 0.01 below the standard, a 0.15 % rebate per 0.01 above (at most 0.75 %): the
  // shape of the 215号 ladder, not its table. In hundredths of a percent.
  const steps = (standard === '0.90' ? 90 : 85) - pfHundredths;
  const hundredthsOfPercent = steps > 0 ? BigInt(steps * 50) : BigInt(Math.max(steps * 15, -75));
  const adjustmentFen = divideHalfUp((basicFen + energyFen) * hundredthsOfPercent, 10_000n);
  return toFixed(new Fx(basicFen + energyFen + adjustmentFen, 2), 2);
}
