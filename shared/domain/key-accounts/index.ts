/** Key-account identification, usage segmentation and account-manager work (billing-rules.md §9). */
export * from './config.ts';
export * from './digest.ts';
export { renderManagerDigestText } from './digest-text.ts';
export * from './managers.ts';
export * from './overrides.ts';
export * from './population.ts';
export * from './rank.ts';
export * from './report-csv.ts';
export * from './report-html.ts';
export * from './score.ts';
export * from './segments.ts';
export * from './selection.ts';
export * from './service-plan.ts';
export * from './usage.ts';
