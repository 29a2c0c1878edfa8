import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { entryPoints } from './entry-points.mjs';

export default defineConfig({
  resolve: {
    // Tests import the package by name, as users do, but run against the sources.
    alias: Object.entries(entryPoints).map(([specifier, source]) => ({
      find: new RegExp(`^${specifier}$`),
      replacement: fileURLToPath(new URL(`./${source}`, import.meta.url)),
    })),
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
