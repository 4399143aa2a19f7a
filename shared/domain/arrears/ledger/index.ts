/*
 * The arrears ledger of one account (billing-rules.md §7): bills and the payments allocated to them
 * (build.ts, allocation.ts), and what it says at any instant (balances.ts).
 */
export * from './balances.ts';
export { buildLedger, buildLedgers, withPenaltyTerms } from './build.ts';
export * from './model.ts';
