import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // The packed package's test installs from the registry (npm run test:package); the example
    // project's tests run only there, against the installed package. The naive chat client's
    // example reaches the package by relative path, so it runs here.
    exclude: ['node_modules/**', 'dist/**', 'package.test.ts', 'examples/user-project/**'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
