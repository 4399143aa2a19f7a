export * from './actions.ts';
export * from './answer.ts';
export * from './follow-up.ts';
export * from './kpis.ts';
export * from './kpis-report.ts';
export * from './link-token.ts';
