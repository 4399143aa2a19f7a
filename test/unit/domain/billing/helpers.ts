import { type Account, AccountSchema } from '#domain/account.ts';
import type { BillDocument, BillLine } from '#domain/bill.ts';
import { BillingInputError, computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { METER_READ_COLUMNS, type MeterReadRow, MeterReadRowShapeSchema } from '#domain/meter-read.ts';
import type { Tariff } from '#domain/tariff.ts';

/*
 * Builders for bill tests. Reads go through the real row shape (MeterReadRowShapeSchema), so a test
 * states its registers as the upstream CSV would carry them; not through the row bounds (a reversed
 * reading, a register too large), which the ingest rejects but the engine must still handle safely.
 */

export type Registers = readonly [start: string, end: string];

export interface ReadSpec {
  accountId?: string;
  meterId?: string;
  period?: string;
  readType?: MeterReadRow['readType'];
  readAt?: string;
  multiplier: string;
  total: Registers;
  sharp?: Registers;
  peak: Registers;
  flat: Registers;
  valley: Registers;
  kvarh: Registers;
  kvarhExport?: Registers;
  demand: string;
  digits?: string;
}

export function readRow(spec: ReadSpec): MeterReadRow {
  const cells = Object.fromEntries(METER_READ_COLUMNS.map((c) => [c, ''])) as Record<string, string>;
  const period = spec.period ?? '2026-10';
  Object.assign(cells, {
    account_id: spec.accountId ?? 'A1',
    meter_id: spec.meterId ?? 'M1',
    period,
    read_at: spec.readAt ?? `${period}-28T23:45:00+08:00`,
    read_type: spec.readType ?? 'actual',
    multiplier: spec.multiplier,
    kwh_total_start: spec.total[0],
    kwh_total_end: spec.total[1],
    kwh_peak_start: spec.peak[0],
    kwh_peak_end: spec.peak[1],
    kwh_flat_start: spec.flat[0],
    kwh_flat_end: spec.flat[1],
    kwh_valley_start: spec.valley[0],
    kwh_valley_end: spec.valley[1],
    kvarh_start: spec.kvarh[0],
    kvarh_end: spec.kvarh[1],
    max_demand_kw: spec.demand,
    register_digits: spec.digits ?? '',
  });
  if (spec.sharp !== undefined) {
    cells.kwh_sharp_start = spec.sharp[0];
    cells.kwh_sharp_end = spec.sharp[1];
  }
  if (spec.kvarhExport !== undefined) {
    cells.kvarh_export_start = spec.kvarhExport[0];
    cells.kvarh_export_end = spec.kvarhExport[1];
  }
  return MeterReadRowShapeSchema.parse(cells);
}

export function testAccount(overrides: Record<string, unknown> = {}): Account {
  return AccountSchema.parse({
    accountId: 'A1',
    name: '测试精密制造有限公司',
    category: 'large-industrial',
    language: 'zh-CN',
    tariffId: 'SC-LI-1-10KV',
    basicChargeMethod: 'capacity',
    capacityKva: '1000',
    powerFactorStandard: '0.90',
    contacts: [{ name: '王会计', email: 'finance@example.cn' }],
    accountManager: { id: 'AM1', name: '张伟', email: 'zhang.wei@grid.example.cn', phone: '13900001111' },
    ...overrides,
  });
}

/** code, quantity, unit price, amount: what a golden bill pins for every line. */
export const lineFacts = (bill: BillDocument): [string, string, string, string][] =>
  bill.lines.map((l: BillLine) => [l.code, l.quantity, l.unitPrice, l.amount]);

export const findingCodes = (bill: BillDocument): string[] => bill.findings.map((f) => f.code);

export const basicLines = (bill: BillDocument): BillLine[] =>
  bill.lines.filter((l) => l.code.startsWith('BASIC_'));

export const SC = SAMPLE_TARIFFS.find((t) => t.tariffId === 'SC-LI-1-10KV')!;

export const simpleRead = (overrides: Partial<Parameters<typeof readRow>[0]> = {}): MeterReadRow =>
  readRow({
    multiplier: '1',
    total: ['0', '300'],
    peak: ['0', '100'],
    flat: ['0', '100'],
    valley: ['0', '100'],
    kvarh: ['0', '100'],
    demand: '100',
    ...overrides,
  });

export const billWith = (parts: {
  account?: Account;
  tariffs?: readonly Tariff[];
  reads?: readonly MeterReadRow[];
  period?: string;
}) =>
  computeBill({
    account: parts.account ?? testAccount(),
    tariffs: parts.tariffs ?? SAMPLE_TARIFFS,
    reads: parts.reads ?? [simpleRead()],
    period: parts.period ?? '2026-10',
    advice: { enabled: false },
  });

/** The BillingInputError thrown by `run`, to assert its field. */
export function inputError(run: () => unknown): BillingInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof BillingInputError) return error;
    throw error;
  }
  throw new Error('expected a BillingInputError');
}

/** A deep copy of the SC tariff with one change, as a JSON document would arrive. */
export const scWith = (change: (t: Tariff) => void): Tariff => {
  const copy = structuredClone(SC) as Tariff;
  change(copy);
  return copy;
};

// Golden bill 1 (SC, 2026-03, capacity 1,000 kVA, PF 0.93): total 55,878.62.
export const goldenOne = {
  account: testAccount(),
  tariffs: SAMPLE_TARIFFS,
  period: '2026-03',
  reads: [
    readRow({
      period: '2026-03',
      multiplier: '100',
      total: ['1000.00', '1500.00'],
      peak: ['300.00', '450.00'],
      flat: ['400.00', '600.00'],
      valley: ['300.00', '450.00'],
      kvarh: ['200.00', '397.60'],
      demand: '3.2',
    }),
  ],
};
