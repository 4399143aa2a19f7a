/** One year of the official calendar: every public-holiday date and every adjusted working day (调休). */
export interface OfficialCalendarYear {
  year: number;
  /** Where the dates come from (package, version, file, and the State Council notice behind it). */
  source: string;
  /** Days off, weekends inside a holiday included. */
  holidays: readonly string[];
  /** Weekend days that are working days (调休). */
  workdays: readonly string[];
}
