import type { Account } from '#domain/account.ts';
import { AccountSchema } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';

/*
 * A large industrial account billed on contracted demand for October 2026, worked by hand:
 *   basic      1,000 kW × 38.00                          =  38,000.00
 *   sharp     30,000 kWh × 1.1520                        =  34,560.00
 *   peak     180,000 kWh × 0.9600                        = 172,800.00
 *   flat     222,000 kWh × 0.6000                        = 133,200.00
 *   valley   180,000 kWh × 0.2400                        =  43,200.00
 *   PF 0.93 under std 0.90 → −0.45 % of 421,760.00       =  −1,897.92
 *   funds on 612,000 kWh: 0.0023 / 0.0062 / 0.0190      =   1,407.60 / 3,794.40 / 11,628.00
 *   total                                                = 436,692.08
 */
export function sampleBill(overrides: Partial<BillDocument> = {}): BillDocument {
  return {
    accountId: '3100012345',
    period: '2026-10',
    currency: 'CNY',
    tariffVersions: [{ tariffId: 'SC-LARGE-IND-10KV', effectiveFrom: '2026-06-01', days: 31 }],
    lines: [
      {
        code: 'BASIC_CONTRACTED_DEMAND',
        label: { 'zh-CN': '基本电费（合同需量）', en: 'Basic charge (contracted demand)' },
        quantity: '1000',
        unit: 'kW',
        unitPrice: '38.00',
        amount: '38000.00',
        explanation: '1,000 kW × 38.00 元 = 38,000.00',
      },
      energyLine('SHARP', '尖峰电度电费', 'Energy charge, sharp peak', '30000', '1.1520', '34560.00'),
      energyLine('PEAK', '高峰电度电费', 'Energy charge, peak', '180000', '0.9600', '172800.00'),
      energyLine('FLAT', '平段电度电费', 'Energy charge, flat', '222000', '0.6000', '133200.00'),
      energyLine('VALLEY', '低谷电度电费', 'Energy charge, valley', '180000', '0.2400', '43200.00'),
      {
        code: 'POWER_FACTOR_ADJUSTMENT',
        label: { 'zh-CN': '功率因数调整电费', en: 'Power factor adjustment' },
        quantity: '421760.00',
        unit: '元',
        unitPrice: '-0.0045',
        amount: '-1897.92',
        explanation: '421,760.00 × -0.45% = -1,897.92',
      },
      fundLine('MAJOR_WATER', '国家重大水利工程建设基金', 'Major water projects fund', '0.0023', '1407.60'),
      fundLine('RESERVOIR', '大中型水库移民后期扶持基金', 'Reservoir resettlement fund', '0.0062', '3794.40'),
      fundLine('RENEWABLE', '可再生能源电价附加', 'Renewable energy surcharge', '0.0190', '11628.00'),
    ],
    total: '436692.08',
    consumption: {
      totalKwh: '612000',
      byBand: { sharp: '30000', peak: '180000', flat: '222000', valley: '180000' },
      kvarh: '250000',
      maxDemandKw: '1020',
    },
    powerFactor: { value: '0.93', standard: '0.90', adjustmentPercent: '-0.45' },
    demand: { maxDemandKw: '1020', contractedDemandKw: '1000', capacityKva: '2500' },
    findings: [
      {
        code: 'BAND_SUM_MISMATCH',
        meterId: 'M-88001',
        message: 'INTERNAL-FINDING band registers differ from the total register by 3 kWh',
      },
    ],
    comparison: {
      previousPeriod: {
        period: '2026-09',
        total: '410000.00',
        totalKwh: '590000',
        totalChangePercent: '6.5',
      },
      samePeriodLastYear: {
        period: '2025-10',
        total: '398500.00',
        totalKwh: '575000',
        totalChangePercent: '9.6',
      },
    },
    advice: [
      {
        kind: 'shift-peak-to-valley',
        scenario: 'move 10% of peak kWh to valley',
        saving: '12960.00',
        message: {
          'zh-CN': '将 10% 的高峰用电（约 18,000 kWh）移到低谷时段。',
          en: 'Move 10% of your peak consumption (about 18,000 kWh) to valley hours.',
        },
      },
      {
        kind: 'raise-power-factor',
        scenario: 'power factor 0.95',
        saving: '1265.28',
        message: {
          'zh-CN': '将功率因数提高到 0.95，可获得 0.75% 的最大减收。',
          en: 'Raise the power factor to 0.95 for the largest reduction, 0.75%.',
        },
      },
    ],
    dueDate: '2026-11-20',
    ...overrides,
  };
}

function energyLine(
  band: 'SHARP' | 'PEAK' | 'FLAT' | 'VALLEY',
  zh: string,
  en: string,
  kwh: string,
  price: string,
  amount: string,
) {
  return {
    code: `ENERGY_${band}` as const,
    label: { 'zh-CN': zh, en },
    quantity: kwh,
    unit: 'kWh',
    unitPrice: price,
    amount,
    explanation: `${kwh} kWh × ${price} 元 = ${amount}`,
  };
}

function fundLine(code: string, zh: string, en: string, price: string, amount: string) {
  return {
    code: `FUND_${code}` as const,
    label: { 'zh-CN': zh, en },
    quantity: '612000',
    unit: 'kWh',
    unitPrice: price,
    amount,
    explanation: `612,000 kWh × ${price} 元 = ${amount}`,
  };
}

export function sampleAccount(overrides: Partial<Record<string, unknown>> = {}): Account {
  return AccountSchema.parse({
    accountId: '3100012345',
    name: '华东精密机械制造有限公司',
    category: 'large-industrial',
    language: 'zh-CN',
    tariffId: 'SC-LARGE-IND-10KV',
    basicChargeMethod: 'contracted-demand',
    capacityKva: '2500',
    contractedDemandKw: '1000',
    powerFactorStandard: '0.90',
    contacts: [
      {
        name: '王厂长',
        email: 'plant.manager@huadong-precision.example.cn',
        phone: '13812345678',
        language: 'zh-CN',
      },
      { name: '李会计', phone: '+86 139 8765 4321' },
    ],
    accountManager: {
      id: 'AM-007',
      name: '张伟',
      email: 'zhang.wei@grid.example.cn',
      phone: '13900001111',
    },
    ...overrides,
  });
}

/** Eleven earlier periods (Nov 2025 – Sep 2026) for the history chart. */
export const SAMPLE_HISTORY: { period: string; total: string; totalKwh: string }[] = [
  ['2025-11', '402310.55', '580000'],
  ['2025-12', '455120.10', '640000'],
  ['2026-01', '470880.00', '661000'],
  ['2026-02', '301245.36', '420000'],
  ['2026-03', '388900.00', '552000'],
  ['2026-04', '376540.12', '538000'],
  ['2026-05', '392011.07', '560000'],
  ['2026-06', '428765.43', '605000'],
  ['2026-07', '498230.90', '690000'],
  ['2026-08', '512004.66', '705000'],
  ['2026-09', '410000.00', '590000'],
].map(([period, total, totalKwh]) => ({ period: period!, total: total!, totalKwh: totalKwh! }));
