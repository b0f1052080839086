import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'lambdas/**/*.test.ts', 'local/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // Every deployed function has PUBLIC_BASE_URL (lib/etaal-stack.ts) and local mode sets its own; tests
    // that call handlers directly get this one (problem types are URLs under it).
    env: { PUBLIC_BASE_URL: 'https://etaal.example.test' },
  },
});
