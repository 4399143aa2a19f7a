import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The default 5 s is a timing threshold in disguise: the equivalence and property suites take a
          // few seconds alone and more on a shared, loaded machine.
          testTimeout: 60_000,
          setupFiles: ['test/setup/sdk-matchers.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts its own local services on free ports; two cores do not like more.
          maxWorkers: 2,
        },
      },
      {
        test: {
          // What AWS will run: the bundles of cdk.out, synthesized once per run, on the local stack.
          name: 'bundles',
          include: ['test/bundles/**/*.test.ts'],
          globalSetup: ['test/bundles/synthesize-once.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 60_000,
          // One file per construct: isolated, each would load aws-cdk-lib again (minutes instead of
          // seconds); the tests share no mutable state but the synthesized app, which they only read.
          isolate: false,
          // Vitest runs projects of one group together and wants their worker counts to agree.
          maxWorkers: 2,
        },
      },
    ],
  },
});
