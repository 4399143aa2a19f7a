import { type CsvCell, CsvDecimal, writeCsv, writeCsvCell } from '../csv/write-csv.ts';
import type { KeyAccountRanking } from './rank.ts';

/*
 * The ranking as CSV, written by the shared CSV writer (RFC 4180, text cells neutralised against formula
 * injection). Numeric cells are the ranking's own decimal strings, checked, and left as they are so that
 * "-12.5" stays a number.
 */

/** A numeric cell of the ranking; every other cell is text, neutralised by the writer. */
const decimal = (value: string | number | null | undefined): CsvCell => CsvDecimal.of(value);

/** A text cell: neutralised against formula injection, then quoted where needed. */
export function csvTextCell(value: string | null | undefined): string {
  return writeCsvCell(value);
}

/** A numeric cell: must be a plain decimal (or empty for null). */
export function csvNumberCell(value: string | number | null | undefined): string {
  return writeCsvCell(decimal(value));
}

export const KEY_ACCOUNT_CSV_COLUMNS = [
  'rank',
  'account_id',
  'name',
  'category',
  'score',
  'nature_a',
  'current_b',
  'potential_d',
  'correction_e',
  'correction_reason',
  'revenue',
  'energy_kwh',
  'cumulative_share',
  'key',
  'key_basis',
  'key_override',
  'override_reason',
  'change',
  'segment',
  'segment_name_zh',
  'segment_name_en',
  'segment_reason',
  'consumption_level',
  'lead_advice',
  'channels',
  'days_before_due',
  'manager_id',
  'manager_name',
  'mom_change_pct',
  'yoy_change_pct',
  'peak_sharp_share',
  'valley_share',
  'load_factor',
  'power_factor',
  'power_factor_trend',
] as const;

/** One row per ranked account, best first. `language` picks the segment reason's language. */
export function renderKeyAccountCsv(
  result: KeyAccountRanking,
  options: { language?: 'zh-CN' | 'en' } = {},
): string {
  const language = options.language ?? 'zh-CN';
  const segments = new Map(result.segments.map((s) => [s.accountId, s]));
  const assignments = new Map(result.assignments.map((a) => [a.accountId, a]));
  const changes = new Map(result.changes.map((c) => [c.accountId, c.change]));
  const records: CsvCell[][] = [[...KEY_ACCOUNT_CSV_COLUMNS]];
  for (const r of result.ranking) {
    const s = segments.get(r.accountId);
    const m = assignments.get(r.accountId);
    const c = r.components;
    const u = r.usage;
    records.push([
      decimal(r.rank),
      r.accountId,
      r.name,
      r.category,
      decimal(r.score),
      decimal(c.nature.value),
      decimal(c.current.value),
      decimal(c.potential.value),
      decimal(c.correction.coefficient),
      c.correction.reason,
      decimal(r.revenue),
      decimal(r.energyKwh),
      decimal(r.cumulativeShare),
      r.isKey ? 'yes' : 'no',
      r.keyBasis ?? r.excludedBy,
      r.keyOverride?.status,
      r.keyOverride?.reason,
      changes.get(r.accountId),
      s?.segmentId,
      s?.name['zh-CN'],
      s?.name.en,
      s?.explanation[language],
      s?.level,
      s?.plan.leadAdvice,
      s?.plan.channels.join(' '),
      decimal(s?.plan.daysBeforeDue),
      m?.managerId,
      m?.managerName,
      decimal(u.momChangePercent),
      decimal(u.yoyChangePercent),
      decimal(u.peakSharpShare),
      decimal(u.valleyShare),
      decimal(u.loadFactor),
      decimal(u.powerFactorLatest),
      decimal(u.powerFactorTrend),
    ]);
  }
  return writeCsv(records);
}
