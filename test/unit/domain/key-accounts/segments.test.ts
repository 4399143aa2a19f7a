import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG, type SegmentId } from '#domain/key-accounts/config.ts';
import { consumptionLevel, SEGMENT_RULES, segmentAccount } from '#domain/key-accounts/segments.ts';
import { indexBills, usageProfile } from '#domain/key-accounts/usage.ts';
import { dec } from '#domain/money.ts';
import { type HistorySpec, history, LAST_PERIOD } from './fixtures.ts';

const config = DEFAULT_KEY_ACCOUNT_CONFIG;

function segmentOf(spec: HistorySpec) {
  const bills = history('A1', spec);
  const profile = usageProfile('A1', indexBills(bills).get('A1'), LAST_PERIOD, 12);
  return segmentAccount({ profile, powerFactorStandard: '0.90' }, config);
}

/** An unremarkable account: flat 100 MWh a month, 30 % peak+sharp, 25 % valley, LF 0.45, PF 0.95, +2 % YoY. */
const BALANCED: HistorySpec = { lastYearKwh: 98_000 };

describe('usage segments', () => {
  it.each<[string, HistorySpec, SegmentId, string]>([
    [
      'energy halves from one period to the next',
      { ...BALANCED, kwh: [...Array(11).fill(100_000), 50_000], lastYearKwh: 100_000 },
      'sudden-drop',
      '-50.0%',
    ],
    [
      'energy 20 % below the same period last year',
      { kwh: 80_000, lastYearKwh: 100_000 },
      'shrinking',
      '-20.0%',
    ],
    [
      'without a year-earlier figure, the later half 20 % below the earlier half',
      { kwh: [...Array(6).fill(100_000), ...Array(6).fill(80_000)] },
      'shrinking',
      'six months',
    ],
    [
      'latest power factor 0.85 under the 0.90 standard',
      { ...BALANCED, pf: 85 },
      'power-factor-risk',
      '0.85',
    ],
    [
      'power factor above standard but 0.04 lower than three periods before',
      { ...BALANCED, pf: [97, 97, 97, 97, 97, 97, 97, 97, 97, 93, 93, 93] },
      'power-factor-risk',
      '0.040',
    ],
    [
      'half the energy in sharp and peak hours',
      { ...BALANCED, sharpShare: 0.1, peakShare: 0.4 },
      'peak-heavy',
      '50.0%',
    ],
    ['load factor 0.20', { ...BALANCED, loadFactor: 0.2 }, 'low-load-factor', '20.0%'],
    [
      'energy 20 % above the same period last year',
      { kwh: 120_000, lastYearKwh: 100_000 },
      'expanding',
      '+20.0%',
    ],
    [
      'load factor 0.70 with 35 % in the valley',
      { ...BALANCED, loadFactor: 0.7, valleyShare: 0.35, peakShare: 0.2 },
      'steady-baseload',
      '35.0%',
    ],
    ['nothing stands out', BALANCED, 'balanced', 'none of the other'],
  ])('%s → %s', (_, spec, expected, figure) => {
    const segment = segmentOf(spec);
    expect(segment.segmentId).toBe(expected);
    expect(segment.explanation.en).toContain(figure);
    expect(segment.plan).toEqual(config.servicePlans[expected]);
  });

  it('tries the rules in order: a sudden drop with a poor power factor is a sudden drop', () => {
    const segment = segmentOf({ kwh: [...Array(11).fill(100_000), 40_000], pf: 80, lastYearKwh: 100_000 });
    expect(segment.segmentId).toBe('sudden-drop');
  });

  it('explains every segment in one sentence in each language, with a name in each', () => {
    const specs: HistorySpec[] = [
      { kwh: [...Array(11).fill(100_000), 50_000], lastYearKwh: 100_000 },
      { kwh: 80_000, lastYearKwh: 100_000 },
      { ...BALANCED, pf: 85 },
      { ...BALANCED, sharpShare: 0.1, peakShare: 0.4 },
      { ...BALANCED, loadFactor: 0.2 },
      { kwh: 120_000, lastYearKwh: 100_000 },
      { ...BALANCED, loadFactor: 0.7, valleyShare: 0.35, peakShare: 0.2 },
      BALANCED,
    ];
    const seen = specs.map((s) => segmentOf(s));
    expect(new Set(seen.map((s) => s.segmentId)).size).toBe(SEGMENT_RULES.length);
    for (const text of [...seen.map((s) => s.explanation), ...SEGMENT_RULES.map((r) => r.description)]) {
      expect(text.en).toMatch(/^[A-Z].*\.$/s);
      expect(text.en.replace(/\d\.\d/g, '')).not.toMatch(/\.\s/);
      expect(text['zh-CN'].endsWith('。')).toBe(true);
      expect(text['zh-CN'].split('。')).toHaveLength(2);
    }
    for (const rule of SEGMENT_RULES) {
      expect(rule.name['zh-CN']).not.toBe('');
      expect(rule.name.en).not.toBe('');
    }
  });

  it('maps every segment to a plan with a bill-advice kind, channels and a lead time', () => {
    for (const rule of SEGMENT_RULES) {
      const plan = config.servicePlans[rule.id];
      expect(['shift-peak-to-valley', 'raise-power-factor', 'basic-charge-method']).toContain(
        plan.leadAdvice,
      );
      expect(plan.channels.length).toBeGreaterThan(0);
      expect(plan.daysBeforeDue).toBeGreaterThan(0);
    }
  });

  it.each([
    ['50000', 'small'],
    ['100000', 'medium'],
    ['999999', 'medium'],
    ['1000000', 'large'],
    ['10000000', 'very-large'],
  ])('calls %s kWh a month %s', (kwh, level) => {
    expect(consumptionLevel(dec(kwh), config)).toBe(level);
  });
});
