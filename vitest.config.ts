import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Specs import 'faultline'; in tests that is the source, not the build. The more
    // specific 'faultline/vitest' (the matchers) must come first: aliases match prefixes.
    alias: {
      'faultline/vitest': fileURLToPath(new URL('./src/integrations/vitest.ts', import.meta.url)),
      faultline: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
