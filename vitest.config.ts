import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // The packed package's test installs from the registry (npm run test:package); the example
    // project's tests run only there, against the installed package.
    exclude: ['node_modules/**', 'dist/**', 'package.test.ts', 'examples/**'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
