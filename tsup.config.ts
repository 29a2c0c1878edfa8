import { defineConfig } from 'tsup';
import { entryPoints } from './entry-points.js';

// One bundle per subpath export (dist/<subpath>/index.*; the root at dist/index.*),
// each emitted as ESM (.js + .d.ts) and CJS (.cjs + .d.cts).
const entry = Object.fromEntries(
  Object.entries(entryPoints).map(([specifier, source]) => [
    specifier === 'api-accounts' ? 'index' : `${specifier.slice('api-accounts/'.length)}/index`,
    source,
  ]),
);

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
  // Drivers are the host's: optional peer dependencies, never bundled.
  external: ['better-sqlite3', 'pg', 'ioredis'],
});
