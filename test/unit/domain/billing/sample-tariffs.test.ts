import { describe, expect, it } from 'vitest';
import { compileTariff, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import type { Tariff } from '#domain/tariff.ts';
import { SC } from './helpers.ts';

describe('sample tariffs', () => {
  it.each(SAMPLE_TARIFFS.map((t) => [`${t.tariffId} ${t.effectiveFrom}`, t] as const))(
    '%s is a valid tariff document',
    (_, tariff) => {
      expect(() => compileTariff(tariff)).not.toThrow();
    },
  );

  it('keep the provincial ratios: GD peak : flat : valley = 1.7 : 1 : 0.38, sharp = peak + 25 %; SC 1.6 : 1 : 0.4, +20 %', () => {
    const prices = (t: Tariff) => {
      const c = compileTariff(t).bands;
      return [
        c.sharp!.price.div(c.peak!.price),
        c.peak!.price.div(c.flat!.price),
        c.valley!.price.div(c.flat!.price),
      ].map((d) => d.toFixed());
    };
    for (const gd of SAMPLE_TARIFFS.filter((t) => t.tariffId === 'GD-LI-1-10KV'))
      expect(prices(gd)).toEqual(['1.25', '1.7', '0.38']);
    expect(prices(SC)).toEqual(['1.2', '1.6', '0.4']);
  });

  it('include a GD version that starts inside a month, to show a tariff split', () => {
    expect(SAMPLE_TARIFFS.filter((t) => t.tariffId === 'GD-LI-1-10KV').map((t) => t.effectiveFrom)).toEqual([
      '2026-01-01',
      '2026-06-16',
    ]);
  });
});
