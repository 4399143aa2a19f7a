import type { KeyAccountRanking } from './rank.ts';

/*
 * The ranking as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes
 * doubled). Text cells that a spreadsheet would run as a formula (OWASP CSV injection: = + - @ tab CR at
 * the start) get a leading apostrophe. Numeric cells are the ranking's own decimal strings, checked, and
 * left as they are so that "-12.5" stays a number.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

const quote = (value: string): string =>
  NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** A text cell: neutralised against formula injection, then quoted where needed. */
export function csvTextCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return quote(FORMULA_START.test(value) ? `'${value}` : value);
}

/** A numeric cell: must be a plain decimal (or empty for null). */
export function csvNumberCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  if (!DECIMAL.test(s)) throw new Error(`not a decimal for a numeric CSV cell: ${JSON.stringify(s)}`);
  return s;
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
  const lines = [KEY_ACCOUNT_CSV_COLUMNS.join(',')];
  for (const r of result.ranking) {
    const s = segments.get(r.accountId);
    const m = assignments.get(r.accountId);
    const c = r.components;
    const u = r.usage;
    lines.push(
      [
        csvNumberCell(r.rank),
        csvTextCell(r.accountId),
        csvTextCell(r.name),
        csvTextCell(r.category),
        csvNumberCell(r.score),
        csvNumberCell(c.nature.value),
        csvNumberCell(c.current.value),
        csvNumberCell(c.potential.value),
        csvNumberCell(c.correction.coefficient),
        csvTextCell(c.correction.reason),
        csvNumberCell(r.revenue),
        csvNumberCell(r.energyKwh),
        csvNumberCell(r.cumulativeShare),
        r.isKey ? 'yes' : 'no',
        csvTextCell(r.keyBasis ?? r.excludedBy),
        csvTextCell(r.keyOverride?.status),
        csvTextCell(r.keyOverride?.reason),
        csvTextCell(changes.get(r.accountId)),
        csvTextCell(s?.segmentId),
        csvTextCell(s?.name['zh-CN']),
        csvTextCell(s?.name.en),
        csvTextCell(s?.explanation[language]),
        csvTextCell(s?.level),
        csvTextCell(s?.plan.leadAdvice),
        csvTextCell(s?.plan.channels.join(' ')),
        csvNumberCell(s?.plan.daysBeforeDue),
        csvTextCell(m?.managerId),
        csvTextCell(m?.managerName),
        csvNumberCell(u.momChangePercent),
        csvNumberCell(u.yoyChangePercent),
        csvNumberCell(u.peakSharpShare),
        csvNumberCell(u.valleyShare),
        csvNumberCell(u.loadFactor),
        csvNumberCell(u.powerFactorLatest),
        csvNumberCell(u.powerFactorTrend),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
