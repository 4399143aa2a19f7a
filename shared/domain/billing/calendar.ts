/**
 * Moved to the domain's one calendar (`../calendar/`); this re-export keeps the bill engine's modules,
 * being split on another branch, compiling until their import lines point there. Delete it then.
 */
export {
  dateOf,
  dateOfDayNumber,
  dayNumber,
  isIsoDate,
  type Month,
  pad2,
  parsePeriod,
  periodOf,
  shiftPeriod,
} from '../calendar/index.ts';
