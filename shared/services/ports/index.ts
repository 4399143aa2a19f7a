/*
 * The ports: what the services need of the outside world, each only as wide as its callers. Adapters
 * (shared/adapters/) implement them for AWS; tests implement them in memory; shared/wiring/ joins the two.
 */

export * from './answers.ts';
export * from './dead-letters.ts';
export * from './drop-objects.ts';
export * from './errors.ts';
export * from './providers.ts';
export * from './queues.ts';
export * from './recipient-keys.ts';
export * from './scheduler.ts';
export * from './secrets.ts';
export * from './stores.ts';
