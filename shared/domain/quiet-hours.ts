/**
 * Moved to the calendar (`calendar/quiet-hours.ts`); this re-export keeps `functions/send-notice` compiling
 * until its import line points there. Delete it then.
 */
export * from './calendar/quiet-hours.ts';
