/*
 * The one calendar of the domain: plain dates and times of day, billing periods, instants on the
 * Asia/Shanghai clock, the working calendar and the SMS quiet hours. Pure: nothing here reads the clock.
 */
export * from './dates.ts';
export { OFFICIAL_CALENDAR_YEARS, type OfficialCalendarYear, officialCoverageEnd } from './official/index.ts';
export * from './periods.ts';
export * from './quiet-hours.ts';
export * from './shanghai.ts';
export * from './wall-clock.ts';
export * from './working-hours.ts';
