import type { Account } from '#domain/account.ts';
import { METER_READ_COLUMNS, type MeterReadColumn } from '#domain/meter-read.ts';
import { Dec, dec } from '#domain/money.ts';
import { seededRandom } from '#domain/seeded-random.ts';

export { seededRandom };

/*
 * Generated but realistic key accounts and meter reads for the demo, the CLI and the benchmarks.
 * Deterministic for a seed, so a demo run can be compared with the previous one.
 */

const PLACES = ['华东', '江南', '蜀川', '岭南', '东海', '西江', '天府', '珠江', '黄河', '长江'];
const TRADES = [
  ['精密铸造', 'Precision Casting'],
  ['特种钢材', 'Special Steel'],
  ['化工新材料', 'Chemical Materials'],
  ['水泥建材', 'Cement'],
  ['电子玻璃', 'Electronic Glass'],
  ['造纸', 'Paper Mill'],
  ['数据中心', 'Data Centre'],
  ['电解铝', 'Aluminium Smelting'],
  ['纺织印染', 'Textile Dyeing'],
  ['汽车零部件', 'Auto Parts'],
] as const;
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '军'];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

export interface GeneratedAccount {
  account: Account;
  /** Meter ids with their multiplier and the share of the account's load each carries. */
  meters: { meterId: string; multiplier: number; share: number }[];
  /** Typical load factor and power factor, used to generate plausible reads. */
  loadFactor: number;
  powerFactor: number;
  /** The account's time-of-use mix (default: a typical industrial load, BAND_SHARES). */
  bandShares?: BandShares;
  /** Maximum demand as a share of capacity, when the account's peaks are not the typical ones. */
  maxDemandShare?: number;
}

export function generateAccounts(
  count: number,
  options: { seed?: number; tariffIds: readonly string[]; emailDomain?: string },
): GeneratedAccount[] {
  const random = seededRandom(options.seed ?? 20261101);
  const managers = Array.from({ length: Math.max(1, Math.ceil(count / 12)) }, (_, i) => ({
    id: `AM${String(i + 1).padStart(3, '0')}`,
    name: `${pick(random, SURNAMES)}${pick(random, GIVEN)}经理`,
    email: `manager${i + 1}@keybill-power.example.cn`,
    phone: `+861390000${String(1000 + i).slice(-4)}`,
  }));
  return Array.from({ length: count }, (_, i) => {
    const [tradeZh, tradeEn] = pick(random, TRADES);
    const place = pick(random, PLACES);
    const english = random() < 0.2;
    const capacityKva = pick(random, [315, 630, 1000, 1250, 2000, 3150, 5000, 8000, 12500, 20000]);
    const method = random() < 0.5 ? 'capacity' : random() < 0.7 ? 'contracted-demand' : 'actual-demand';
    const accountId = `31000${String(10000 + i * 37).padStart(5, '0')}`;
    const meterCount = capacityKva >= 5000 ? 2 : 1;
    const contact = `${pick(random, SURNAMES)}${pick(random, GIVEN)}`;
    const account: Account = {
      accountId,
      name: english ? `${tradeEn} Co., Ltd. (${accountId.slice(-4)})` : `${place}${tradeZh}有限公司`,
      category: capacityKva >= 315 ? 'large-industrial' : 'general-industrial',
      language: english ? 'en' : 'zh-CN',
      tariffId: options.tariffIds[i % options.tariffIds.length]!,
      basicChargeMethod: method,
      capacityKva: String(capacityKva),
      suspendedKva: '0',
      ...(method === 'contracted-demand'
        ? { contractedDemandKw: String(Math.round(capacityKva * 0.6)) }
        : {}),
      powerFactorStandard: '0.90',
      paymentDueDay: 20,
      important: random() < 0.1,
      contacts: [
        {
          name: contact,
          email: `finance.${accountId}@${options.emailDomain ?? 'customer.example.cn'}`,
          phone: `1${pick(random, ['38', '39', '50', '58', '86'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
        },
      ],
      accountManager: managers[i % managers.length]!,
    };
    const shares = meterCount === 1 ? [1] : [0.6, 0.4];
    return {
      account,
      meters: shares.map((share, m) => ({
        meterId: `M-${accountId.slice(-5)}-${m + 1}`,
        multiplier: capacityKva >= 2000 ? 4000 : 1000,
        share,
      })),
      loadFactor: 0.3 + random() * 0.45,
      powerFactor: 0.82 + random() * 0.16,
    };
  });
}

/** Shares of a month's energy by band (the valley takes the rest). */
export interface BandShares {
  sharp: number;
  peak: number;
  flat: number;
}

/** Shares of a month's energy by band, from a typical industrial load under 1093号 ToU windows. */
const BAND_SHARES: BandShares = { sharp: 0.05, peak: 0.3, flat: 0.35 };

export function generateMeterReadRows(
  accounts: readonly GeneratedAccount[],
  period: string,
  options: {
    seed?: number;
    withSharp?: boolean;
    /** The account's energy this period against its usual (a bill history's shape); default 1. */
    energyFactor?: (account: GeneratedAccount) => number;
  } = {},
): Record<MeterReadColumn, string>[] {
  const random = seededRandom(options.seed ?? 1);
  const [year, month] = period.split('-').map(Number) as [number, number];
  const hours = new Date(Date.UTC(year, month, 0)).getUTCDate() * 24;
  const lastDay = String(hours / 24).padStart(2, '0');
  const rows: Record<MeterReadColumn, string>[] = [];
  for (const g of accounts) {
    const capacity = Number(g.account.capacityKva);
    const shares = g.bandShares ?? BAND_SHARES;
    const factor = options.energyFactor?.(g) ?? 1;
    for (const meter of g.meters) {
      const kwh = capacity * 0.9 * g.loadFactor * hours * meter.share * (0.9 + random() * 0.2) * factor;
      const reg = (x: number) => dec(x).div(meter.multiplier);
      const start = dec(Math.floor(random() * 5000) + 100);
      const total = reg(kwh).toDecimalPlaces(2);
      const bands = {
        sharp: options.withSharp === false ? dec(0) : total.times(shares.sharp).toDecimalPlaces(2),
        peak: total.times(shares.peak).toDecimalPlaces(2),
        flat: total.times(shares.flat).toDecimalPlaces(2),
        valley: dec(0),
      };
      bands.valley = total.minus(bands.sharp).minus(bands.peak).minus(bands.flat);
      const kvarh = total.times(Math.sqrt(1 / g.powerFactor ** 2 - 1)).toDecimalPlaces(2);
      const bandStart = start.div(4).toDecimalPlaces(2);
      const typicalPeak = g.loadFactor + 0.25 + random() * 0.2;
      const demandKw =
        g.maxDemandShare === undefined
          ? (capacity * 0.9 * meter.share * typicalPeak) / meter.multiplier
          : (capacity * meter.share * g.maxDemandShare) / meter.multiplier;
      const row = Object.fromEntries(METER_READ_COLUMNS.map((c) => [c, ''])) as Record<
        MeterReadColumn,
        string
      >;
      Object.assign(row, {
        account_id: g.account.accountId,
        meter_id: meter.meterId,
        period,
        read_at: `${period}-${lastDay}T23:45:00+08:00`,
        read_type: 'actual',
        multiplier: String(meter.multiplier),
        kwh_total_start: start.toFixed(2),
        kwh_total_end: start.plus(total).toFixed(2),
        kwh_peak_start: bandStart.toFixed(2),
        kwh_peak_end: bandStart.plus(bands.peak).toFixed(2),
        kwh_flat_start: bandStart.toFixed(2),
        kwh_flat_end: bandStart.plus(bands.flat).toFixed(2),
        kwh_valley_start: bandStart.toFixed(2),
        kwh_valley_end: bandStart.plus(bands.valley).toFixed(2),
        kvarh_start: bandStart.toFixed(2),
        kvarh_end: bandStart.plus(kvarh).toFixed(2),
        max_demand_kw: new Dec(demandKw).toDecimalPlaces(4).toFixed(4),
      });
      if (options.withSharp !== false) {
        row.kwh_sharp_start = bandStart.toFixed(2);
        row.kwh_sharp_end = bandStart.plus(bands.sharp).toFixed(2);
      }
      rows.push(row);
    }
  }
  return rows;
}

/** Renders rows as the upstream CSV (header in the spec's column order, RFC 4180 quoting where needed). */
export function toCsv(
  rows: readonly Record<string, string>[],
  columns: readonly string[] = METER_READ_COLUMNS,
): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n'
  );
}
