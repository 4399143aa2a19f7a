import { CALENDAR_2024 } from './2024.ts';
import { CALENDAR_2025 } from './2025.ts';
import { CALENDAR_2026 } from './2026.ts';
import type { OfficialCalendarYear } from './model.ts';

/*
 * The official working-day calendar of the PRC (billing-rules.md §8): public holidays and adjusted working
 * days (调休), published by the State Council each year, as a checked-in snapshot per year taken from the
 * pinned npm package `chinese-days` (scripts/calendar-snapshot.ts). A year without a snapshot is not
 * covered: nothing is planned on its days automatically.
 */
export type { OfficialCalendarYear } from './model.ts';

export const OFFICIAL_CALENDAR_YEARS: readonly OfficialCalendarYear[] = [
  CALENDAR_2024,
  CALENDAR_2025,
  CALENDAR_2026,
];

const holidays = new Set(OFFICIAL_CALENDAR_YEARS.flatMap((y) => y.holidays));
const workdays = new Set(OFFICIAL_CALENDAR_YEARS.flatMap((y) => y.workdays));
const years = new Set(OFFICIAL_CALENDAR_YEARS.map((y) => y.year));

export const isOfficialHoliday = (date: string): boolean => holidays.has(date);
export const isOfficialWorkday = (date: string): boolean => workdays.has(date);
export const officialCalendarCovers = (date: string): boolean => years.has(Number(date.slice(0, 4)));

/** The last day the snapshot covers (31 December of its last year). */
export const officialCoverageEnd = (): string => `${Math.max(...years)}-12-31`;
