import { describe, expect, it } from 'vitest';
import { computeBill, displayWidth, formatBillTable, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { readRow, testAccount } from './helpers.ts';

const bill = computeBill({
  account: testAccount({ tariffId: 'GD-LI-1-10KV', capacityKva: '800', connectedOn: '2026-06-05' }),
  tariffs: SAMPLE_TARIFFS,
  period: '2026-06',
  reads: [
    readRow({
      period: '2026-06',
      multiplier: '20',
      total: ['0', '500'],
      peak: ['0', '150'],
      flat: ['0', '200'],
      valley: ['0', '150'],
      kvarh: ['0', '300'],
      demand: '10',
    }),
  ],
  history: [{ period: '2026-05', total: '12000.00', totalKwh: '9000' }],
});

const grouped = (amount: string): string => amount.replace(/\B(?=(\d{3})+\.)/g, ',');

/** The rows between the second and third rule: the bill lines. */
const tableRows = (text: string): string[] => {
  const lines = text.split('\n');
  const rules = lines.flatMap((l, i) => (/^-+$/.test(l) ? [i] : []));
  return lines.slice(rules[1]! + 1, rules[2]!);
};

describe('bill as a fixed-width table', () => {
  it.each(['zh-CN', 'en'] as const)('prints every line with its amount and the total (%s)', (language) => {
    const text = formatBillTable(bill, language);
    const rows = tableRows(text);
    expect(rows).toHaveLength(bill.lines.length);
    bill.lines.forEach((line, i) => {
      expect(rows[i]!.startsWith(line.label[language])).toBe(true);
      expect(rows[i]!.endsWith(grouped(line.amount))).toBe(true);
    });
    expect(text).toContain(grouped(bill.total));
  });

  it('lines the columns up, counting Chinese characters as two columns', () => {
    const text = formatBillTable(bill, 'zh-CN');
    const rule = text.split('\n').find((l) => /^-+$/.test(l))!;
    for (const row of tableRows(text)) expect(displayWidth(row)).toBe(rule.length);
    expect(displayWidth('基本电费')).toBe(8);
  });

  it('speaks the language asked for, with power factor, demand, comparison, advice and explanations', () => {
    const en = formatBillTable(bill, 'en');
    expect(en).toContain('Electricity bill');
    expect(en).toContain(`Power factor: ${bill.powerFactor.value} (standard 0.90)`);
    expect(en).toContain('Previous period 2026-05');
    expect(en).toContain('How each line is computed:');
    expect(en).toContain(bill.lines[0]!.explanation);
    const zh = formatBillTable(bill, 'zh-CN');
    expect(zh).toContain('电费账单');
    expect(zh).toContain('合计');
    expect(zh).toContain(bill.advice[0]!.message['zh-CN']);
  });
});

describe('findings in the table', () => {
  it('says which finding holds the bill (a guessed meter pairing), in the reader’s language', () => {
    const changes = (['O1', 'O2', 'I1', 'I2'] as const).map((meterId, i) =>
      readRow({
        period: '2026-06',
        meterId,
        readType: i < 2 ? 'meter_out' : 'meter_in',
        readAt: `2026-06-${10 + i}T10:00:00+08:00`,
        multiplier: '1',
        total: ['0', '300'],
        peak: ['0', '100'],
        flat: ['0', '100'],
        valley: ['0', '100'],
        kvarh: ['0', '100'],
        demand: '10',
      }),
    );
    const held = computeBill({
      account: testAccount(),
      tariffs: SAMPLE_TARIFFS,
      period: '2026-06',
      reads: changes,
    });
    expect(formatBillTable(held, 'en')).toContain(
      '  - [METER_PAIRING_GUESSED] (holds the bill) O1 meter_out of meter O1',
    );
    expect(formatBillTable(held, 'zh-CN')).toContain('[METER_PAIRING_GUESSED] (暂缓出账) O2');
    expect(formatBillTable(bill, 'en')).not.toContain('holds the bill');
  });
});
