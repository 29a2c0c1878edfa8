import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      'api-accounts/testing': fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)),
      'api-accounts': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // In CI, also write a JSON report that .ci/run turns into a plain "N passed, N failed" line.
    ...(process.env['CI']
      ? { reporters: ['default', 'json'], outputFile: { json: 'test-results/vitest.json' } }
      : {}),
  },
});
