/**
 * `npm run test:package`: the packed package installed into a fresh project (package.test.ts).
 * Minutes long, most of it the install, so it stays out of `npm test` (vitest.config.ts).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['package.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
