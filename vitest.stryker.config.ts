import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Mutation testing of src/core runs the core's own unit tests: fast, no
// services, no browser. Slow suites (adapters, drills, e2e) and the property
// suites of hundreds of runs would cover every mutant and make each cost a
// minute; the unit tests are what must kill them.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/core/**/*.test.ts'],
    exclude: ['test/core/lifecycle-model.test.ts', 'test/core/arbitrary-input.test.ts'],
    reporters: ['dot'],
    // One worker context reused for every file: a mutant run then costs its tests, not a process start.
    pool: 'threads',
    isolate: false,
  },
});
