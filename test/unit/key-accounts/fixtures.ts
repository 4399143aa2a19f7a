/* The key-accounts fixtures live beside the domain tests; the command's and the report's tests import them here. */
export * from '../domain/key-accounts/fixtures.ts';
