import type { Account } from '#domain/account.ts';
import { daysInPeriod, periodWindow, shiftPeriod } from '#domain/calendar/index.ts';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import type { KeySelectionRecord } from '#domain/key-accounts/selection.ts';
import type { UsageBill } from '#domain/key-accounts/usage.ts';
import { dec } from '#domain/money.ts';

export const MANAGERS = {
  wang: { id: 'AM001', name: '王经理', email: 'wang@power.example.cn', phone: '+8613900001001' },
  li: { id: 'AM002', name: '李经理', email: 'li@power.example.cn', phone: '+8613900001002' },
  zhao: { id: 'AM003', name: '赵经理', email: 'zhao@power.example.cn', phone: '+8613900001003' },
} as const;

export function account(accountId: string, fields: Partial<Account> = {}): Account {
  return {
    accountId,
    name: `测试客户${accountId}`,
    category: 'large-industrial',
    language: 'zh-CN',
    tariffId: 'SAMPLE-LI-10KV',
    basicChargeMethod: 'capacity',
    capacityKva: '1000',
    suspendedKva: '0',
    powerFactorStandard: '0.90',
    paymentDueDay: 20,
    important: false,
    contacts: [{ name: '张伟', email: `finance@${accountId.toLowerCase()}.example.cn` }],
    accountManager: MANAGERS.wang,
    ...fields,
  };
}

export interface HistorySpec {
  /** Energy per month, oldest first; a number repeats for every period. */
  kwh?: number | number[];
  /** Shares of the total in each band (the rest is flat). */
  sharpShare?: number;
  peakShare?: number;
  valleyShare?: number;
  /** Load factor that sets the maximum demand: demand = kWh ÷ (LF × hours). */
  loadFactor?: number;
  /** Power factor per month (hundredths), a number repeats. */
  pf?: number | number[];
  /** Yuan per kWh for the bill total. */
  price?: string;
  /** Energy of the same period a year before the last one (for year on year); omitted: no comparison. */
  lastYearKwh?: number;
}

export const LAST_PERIOD = '2026-10';

/** Twelve bill-like months ending with LAST_PERIOD, from a compact description. */
export function history(accountId: string, spec: HistorySpec = {}, lastPeriod = LAST_PERIOD): UsageBill[] {
  const periods = periodWindow(lastPeriod, 12);
  const at = <T>(v: T | T[], i: number): T => (Array.isArray(v) ? (v[i] as T) : v);
  return periods.map((period, i) => {
    const kwh = at(spec.kwh ?? 100_000, i);
    const sharp = Math.round(kwh * (spec.sharpShare ?? 0.05));
    const peak = Math.round(kwh * (spec.peakShare ?? 0.25));
    const valley = Math.round(kwh * (spec.valleyShare ?? 0.25));
    const flat = kwh - sharp - peak - valley;
    const hours = daysInPeriod(period) * 24;
    const demand = Math.max(1, Math.round(kwh / ((spec.loadFactor ?? 0.45) * hours)));
    const pf = at(spec.pf ?? 95, i);
    const last = i === periods.length - 1;
    const bill: UsageBill = {
      accountId,
      period,
      total: dec(kwh)
        .times(spec.price ?? '0.70')
        .toFixed(2),
      dueDate: `${shiftPeriod(period, 1)}-20`,
      consumption: {
        totalKwh: String(kwh),
        byBand: { sharp: String(sharp), peak: String(peak), flat: String(flat), valley: String(valley) },
        maxDemandKw: String(demand),
      },
      powerFactor: { value: dec(pf).div(100).toFixed(2), standard: '0.90' },
    };
    if (last && spec.lastYearKwh !== undefined) {
      bill.comparison = {
        samePeriodLastYear: {
          period: shiftPeriod(period, -12),
          total: dec(spec.lastYearKwh).times('0.70').toFixed(2),
          totalKwh: String(spec.lastYearKwh),
        },
      };
    }
    return bill;
  });
}

/** A stored selection for September's run: the key accounts in the power-factor-risk segment, with AM001. */
export const selectionRecord = (effectiveFrom: string, keyIds: string[]): KeySelectionRecord => ({
  period: '2026-09',
  effectiveFrom,
  configVersion: DEFAULT_KEY_ACCOUNT_CONFIG.version,
  keyAccounts: keyIds.map((accountId) => ({ accountId, segmentId: 'power-factor-risk', managerId: 'AM001' })),
});
