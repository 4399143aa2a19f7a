import type { BandPrice, Fund, Tariff } from '../tariff.ts';

/*
 * Two sample tariffs for demos and tests, built from the provincial examples of billing-rules.md §4.
 * Prices are ILLUSTRATIVE, not any province's current price. Every price component floats with the ToU
 * ratio; funds and the basic charge do not.
 */

const band = (purchase: string, lineLoss: string, td: string, sysOp: string): BandPrice => ({
  purchase,
  lineLoss,
  transmissionDistribution: td,
  systemOperation: sysOp,
});

const FUNDS: Fund[] = [
  {
    code: 'MAJOR_WATER',
    label: { 'zh-CN': '国家重大水利工程建设基金', en: 'Major water projects fund' },
    pricePerKwh: '0.0023',
  },
  {
    code: 'RESERVOIR',
    label: { 'zh-CN': '大中型水库移民后期扶持基金', en: 'Reservoir resettlement fund' },
    pricePerKwh: '0.0062',
  },
  {
    code: 'RENEWABLE',
    label: { 'zh-CN': '可再生能源电价附加', en: 'Renewable energy surcharge' },
    pricePerKwh: '0.0190',
  },
];

const PF_STANDARDS: Tariff['powerFactorStandards'] = [
  {
    standard: '0.90',
    appliesTo: { 'zh-CN': '160 kVA 及以上高压供电工业用户', en: 'HV industrial users of 160 kVA and above' },
  },
  {
    standard: '0.85',
    appliesTo: {
      'zh-CN': '100 kVA 及以上其他工业、非工业用户',
      en: 'Other industrial and non-industrial users of 100 kVA and above',
    },
  },
  {
    standard: '0.80',
    appliesTo: {
      'zh-CN': '100 kVA 及以上农业用户和趸售用户',
      en: 'Agricultural and wholesale users of 100 kVA and above',
    },
  },
];

const BASIC = { perKvaMonth: '26.00', perKwMonth: '38.00' };
const HIGH_UTILISATION = { kwhPerKva: '260', factor: '0.9' };

/*
 * Guangdong-like 1–10 kV large industrial (2021 ToU): peak 10–12 and 14–19, valley 0–8, flat otherwise;
 * peak : flat : valley = 1.7 : 1 : 0.38; sharp 11–12 and 15–17 in July–September at peak + 25 %.
 * Flat 0.6000 = 0.4000 purchase + 0.0200 line loss + 0.1600 T&D + 0.0200 system operation.
 */
const GD_WINDOWS: Tariff['touWindows'] = [
  { band: 'valley', hours: [{ from: 0, to: 8 }] },
  {
    band: 'flat',
    hours: [
      { from: 8, to: 10 },
      { from: 12, to: 14 },
      { from: 19, to: 24 },
    ],
  },
  {
    band: 'peak',
    hours: [
      { from: 10, to: 12 },
      { from: 14, to: 19 },
    ],
  },
  {
    band: 'sharp',
    hours: [
      { from: 11, to: 12 },
      { from: 15, to: 17 },
    ],
    months: [7, 8, 9],
  },
];

const GD_2026_H1: Tariff = {
  tariffId: 'GD-LI-1-10KV',
  effectiveFrom: '2026-01-01',
  name: { 'zh-CN': '广东（示例）大工业 1–10 千伏', en: 'Guangdong (sample) large industrial 1–10 kV' },
  province: 'Guangdong',
  voltageClass: '1-10kV',
  currency: 'CNY',
  touWindows: GD_WINDOWS,
  energyPrices: {
    sharp: band('0.8500', '0.0425', '0.3400', '0.0425'), // 1.2750 = peak × 1.25
    peak: band('0.6800', '0.0340', '0.2720', '0.0340'), // 1.0200 = flat × 1.7
    flat: band('0.4000', '0.0200', '0.1600', '0.0200'), // 0.6000
    valley: band('0.1520', '0.0076', '0.0608', '0.0076'), // 0.2280 = flat × 0.38
  },
  funds: FUNDS,
  basicCharge: BASIC,
  highUtilisationDemandDiscount: HIGH_UTILISATION,
  powerFactorStandards: PF_STANDARDS,
};

/**
 * Mid-year version, effective in the middle of June so that June bills show a tariff split: the agency
 * purchase price rises 0.4000 → 0.4200 (flat); ratios unchanged.
 */
const GD_2026_H2: Tariff = {
  ...GD_2026_H1,
  effectiveFrom: '2026-06-16',
  energyPrices: {
    sharp: band('0.8925', '0.0425', '0.3400', '0.0425'), // 1.3175
    peak: band('0.7140', '0.0340', '0.2720', '0.0340'), // 1.0540
    flat: band('0.4200', '0.0200', '0.1600', '0.0200'), // 0.6200
    valley: band('0.1596', '0.0076', '0.0608', '0.0076'), // 0.2356
  },
};

/*
 * Sichuan-like 1–10 kV large industrial (from 2023-06-01): peak 10–12 and 15–21; flat 7–10, 12–15 and 21–23;
 * valley 23–7; 1.6 : 1 : 0.4; sharp July–August 15–17 and December–January 19–21 at peak + 20 %.
 * Flat 0.5750 = 0.4000 purchase + 0.0150 line loss + 0.1500 T&D + 0.0100 system operation.
 */
const SC_2023: Tariff = {
  tariffId: 'SC-LI-1-10KV',
  effectiveFrom: '2023-06-01',
  name: { 'zh-CN': '四川（示例）大工业 1–10 千伏', en: 'Sichuan (sample) large industrial 1–10 kV' },
  province: 'Sichuan',
  voltageClass: '1-10kV',
  currency: 'CNY',
  touWindows: [
    {
      band: 'valley',
      hours: [
        { from: 0, to: 7 },
        { from: 23, to: 24 },
      ],
    },
    {
      band: 'flat',
      hours: [
        { from: 7, to: 10 },
        { from: 12, to: 15 },
        { from: 21, to: 23 },
      ],
    },
    {
      band: 'peak',
      hours: [
        { from: 10, to: 12 },
        { from: 15, to: 21 },
      ],
    },
    { band: 'sharp', hours: [{ from: 15, to: 17 }], months: [7, 8] },
    { band: 'sharp', hours: [{ from: 19, to: 21 }], months: [12, 1] },
  ],
  energyPrices: {
    sharp: band('0.7680', '0.0288', '0.2880', '0.0192'), // 1.1040 = peak × 1.2
    peak: band('0.6400', '0.0240', '0.2400', '0.0160'), // 0.9200 = flat × 1.6
    flat: band('0.4000', '0.0150', '0.1500', '0.0100'), // 0.5750
    valley: band('0.1600', '0.0060', '0.0600', '0.0040'), // 0.2300 = flat × 0.4
  },
  funds: FUNDS,
  basicCharge: BASIC,
  highUtilisationDemandDiscount: HIGH_UTILISATION,
  powerFactorStandards: PF_STANDARDS,
};

/** Every version of the two sample tariffs (GD has a version starting 2026-06-16, for tariff splits). */
export const SAMPLE_TARIFFS: readonly Tariff[] = Object.freeze([GD_2026_H1, GD_2026_H2, SC_2023]);
