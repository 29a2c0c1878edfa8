import { defineConfig } from 'tsup';

// One entry per subpath export; each is emitted as ESM (.js + .d.ts) and CJS (.cjs + .d.cts).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
});
