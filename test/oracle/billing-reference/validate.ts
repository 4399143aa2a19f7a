import type { z } from 'zod';
import { type Account, AccountSchema } from '#domain/account.ts';
import { BillingInputError, fieldPath } from '#domain/billing/errors.ts';
import { dayNumber } from '#domain/calendar/index.ts';
import { type Dec, dec } from '#domain/money.ts';
import type { TouBand } from '#domain/primitives.ts';
import { type Tariff, TariffSchema } from '#domain/tariff.ts';

/*
 * Validation of the documents the engine bills with, and their compiled (Decimal) form. Documents are
 * treated as immutable: a validated document is cached by identity, so 100,000 bills against the same
 * tariff array parse each tariff once.
 */

export interface CompiledBandPrice {
  price: Dec;
  text: string;
}

export interface CompiledFund {
  code: string;
  label: { 'zh-CN': string; en: string };
  price: Dec;
  text: string;
}

export interface CompiledTariff {
  tariff: Tariff;
  tariffId: string;
  effectiveFrom: string;
  effectiveDay: number;
  bands: Partial<Record<TouBand, CompiledBandPrice>>;
  funds: CompiledFund[];
  perKvaMonth: Dec;
  perKwMonth: Dec;
  highUtilisationKwhPerKva: Dec;
  highUtilisationFactor: Dec;
}

export interface CompiledAccount {
  account: Account;
  capacityKva: Dec;
  suspendedKva: Dec;
  /** Capacity in operation: capacityKva − suspendedKva. */
  effectiveCapacityKva: Dec;
  contractedDemandKw?: Dec;
  previousCapacityKva?: Dec;
}

const throwFirstIssue = (prefix: string, error: z.ZodError): never => {
  const issue = error.issues[0]!;
  throw new BillingInputError(fieldPath(prefix, issue.path), issue.message);
};

/** Unit prices print with at least `min` decimals (元/kWh: 4, 元/kVA·month: 2). */
export const priceText = (value: Dec, min: number): string =>
  value.toFixed(Math.max(min, value.decimalPlaces()));

/** Validates one tariff version (zod schema plus the checks a schema cannot express) and compiles it. */
export function compileTariff(input: unknown, prefix = 'tariff'): CompiledTariff {
  const parsed = TariffSchema.safeParse(input);
  if (!parsed.success) throwFirstIssue(prefix, parsed.error);
  const tariff = parsed.data!;
  checkTouWindows(tariff, prefix);
  const codes = new Set<string>();
  tariff.funds.forEach((f, i) => {
    if (codes.has(f.code))
      throw new BillingInputError(fieldPath(prefix, ['funds', i, 'code']), `duplicate fund ${f.code}`);
    codes.add(f.code);
  });
  const bands: Partial<Record<TouBand, CompiledBandPrice>> = {};
  for (const band of ['sharp', 'peak', 'flat', 'valley'] as const) {
    const p = tariff.energyPrices[band];
    if (p === undefined) continue;
    const price = dec(p.purchase).plus(p.lineLoss).plus(p.transmissionDistribution).plus(p.systemOperation);
    bands[band] = { price, text: priceText(price, 4) };
  }
  const perKvaMonth = dec(tariff.basicCharge.perKvaMonth);
  const perKwMonth = dec(tariff.basicCharge.perKwMonth);
  const factor = dec(tariff.highUtilisationDemandDiscount.factor);
  if (factor.gt(1))
    throw new BillingInputError(
      fieldPath(prefix, ['highUtilisationDemandDiscount', 'factor']),
      'a discount factor above 1 would raise the price',
    );
  return {
    tariff,
    tariffId: tariff.tariffId,
    effectiveFrom: tariff.effectiveFrom,
    effectiveDay: dayNumber(tariff.effectiveFrom),
    bands,
    funds: tariff.funds.map((f) => {
      const price = dec(f.pricePerKwh);
      return { code: f.code, label: f.label, price, text: priceText(price, 4) };
    }),
    perKvaMonth,
    perKwMonth,
    highUtilisationKwhPerKva: dec(tariff.highUtilisationDemandDiscount.kwhPerKva),
    highUtilisationFactor: factor,
  };
}

/**
 * The ToU windows (when given) must split every month's day into bands without gap or overlap; sharp
 * windows are the exception: they are carved out of another band in their months (1093号 sharp peaks sit
 * inside peak hours), so they may overlap but must not overlap one another.
 */
function checkTouWindows(tariff: Tariff, prefix: string): void {
  const windows = tariff.touWindows;
  windows.forEach((w, i) => {
    w.hours.forEach((h, j) => {
      if (h.to <= h.from)
        throw new BillingInputError(
          fieldPath(prefix, ['touWindows', i, 'hours', j, 'to']),
          `window ends at ${h.to}, not after its start ${h.from}`,
        );
    });
    if (w.band === 'sharp' && tariff.energyPrices.sharp === undefined)
      throw new BillingInputError(
        fieldPath(prefix, ['energyPrices', 'sharp']),
        'the tariff has sharp-peak windows but no sharp price',
      );
  });
  if (windows.length === 0) return;
  for (let month = 1; month <= 12; month++) {
    const base: (number | undefined)[] = Array.from({ length: 24 }, () => undefined);
    const sharp: (number | undefined)[] = Array.from({ length: 24 }, () => undefined);
    windows.forEach((w, i) => {
      if (w.months !== undefined && !w.months.includes(month)) return;
      const hours = w.band === 'sharp' ? sharp : base;
      for (const range of w.hours) {
        for (let hour = range.from; hour < range.to; hour++) {
          if (hours[hour] !== undefined)
            throw new BillingInputError(
              fieldPath(prefix, ['touWindows', i, 'hours']),
              `hour ${hour}:00 of month ${month} is in two windows (${hours[hour]} and ${i})`,
            );
          hours[hour] = i;
        }
      }
    });
    const gap = base.indexOf(undefined);
    if (gap >= 0)
      throw new BillingInputError(
        fieldPath(prefix, ['touWindows']),
        `hour ${gap}:00 of month ${month} is in no peak, flat or valley window`,
      );
  }
}

interface TariffIndex {
  byId: Map<string, CompiledTariff[]>;
}

const tariffIndexCache = new WeakMap<readonly Tariff[], TariffIndex>();

/** Every version of `tariffId` in `tariffs`, validated and sorted by effective date (cached per array). */
export function tariffVersions(tariffs: readonly Tariff[], tariffId: string): CompiledTariff[] {
  let index = tariffIndexCache.get(tariffs);
  if (index === undefined) {
    index = { byId: new Map() };
    tariffIndexCache.set(tariffs, index);
  }
  const cached = index.byId.get(tariffId);
  if (cached !== undefined) return cached;
  const versions: CompiledTariff[] = [];
  const seen = new Map<string, number>();
  tariffs.forEach((t, i) => {
    if ((t as { tariffId?: unknown } | null)?.tariffId !== tariffId) return;
    const compiled = compileTariff(t, `tariffs.${i}`);
    const other = seen.get(compiled.effectiveFrom);
    if (other !== undefined)
      throw new BillingInputError(
        `tariffs.${i}.effectiveFrom`,
        `tariff ${tariffId} has two versions effective from ${compiled.effectiveFrom} (tariffs.${other} and tariffs.${i})`,
      );
    seen.set(compiled.effectiveFrom, i);
    versions.push(compiled);
  });
  versions.sort((a, b) => a.effectiveDay - b.effectiveDay);
  index.byId.set(tariffId, versions);
  return versions;
}

const accountCache = new WeakMap<object, CompiledAccount>();

/** Validates an account document (AccountSchema plus consistency checks) and compiles it; cached by identity. */
export function compileAccount(input: Account): CompiledAccount {
  const cached = accountCache.get(input);
  if (cached !== undefined) return cached;
  const parsed = AccountSchema.safeParse(input);
  if (!parsed.success) throwFirstIssue('account', parsed.error);
  const account = parsed.data!;
  const capacityKva = dec(account.capacityKva);
  const suspendedKva = dec(account.suspendedKva);
  if (suspendedKva.gt(capacityKva))
    throw new BillingInputError('account.suspendedKva', 'capacity under suspension exceeds the capacity');
  if (
    account.connectedOn !== undefined &&
    account.terminatedOn !== undefined &&
    account.terminatedOn < account.connectedOn
  )
    throw new BillingInputError('account.terminatedOn', 'terminated before it was connected');
  const compiled: CompiledAccount = {
    account,
    capacityKva,
    suspendedKva,
    effectiveCapacityKva: capacityKva.minus(suspendedKva),
    ...(account.contractedDemandKw === undefined
      ? {}
      : { contractedDemandKw: dec(account.contractedDemandKw) }),
    ...(account.previousCapacityKva === undefined
      ? {}
      : { previousCapacityKva: dec(account.previousCapacityKva) }),
  };
  accountCache.set(input, compiled);
  return compiled;
}

/**
 * A copy of a valid account with a different basic-charge method (for advice), registered as validated:
 * the change cannot make a valid account invalid when a contracted demand exists for that method.
 */
export function accountWithMethod(input: Account, method: Account['basicChargeMethod']): Account {
  const base = compileAccount(input);
  const changed: Account = { ...input, basicChargeMethod: method };
  accountCache.set(changed, { ...base, account: { ...base.account, basicChargeMethod: method } });
  return changed;
}
