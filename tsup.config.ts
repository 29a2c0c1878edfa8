import { defineConfig } from 'tsup';
import { entryPoints } from './entry-points.mjs';

// One bundle per subpath export (dist/<subpath>/index.*; the root at dist/index.*),
// each emitted as ESM (.js + .d.ts) and CJS (.cjs + .d.cts).
const entry = Object.fromEntries(
  Object.entries(entryPoints).map(([specifier, source]) => [
    specifier === 'api-accounts' ? 'index' : `${specifier.slice('api-accounts/'.length)}/index`,
    source,
  ]),
);

// The operator's command line (the package's bin), built beside the entry points so it shares their chunks.
entry['cli/main'] = 'src/cli/main.ts';

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  // One copy of every module across entry points: a class shared by two subpaths
  // (DeliveryError, say) must be one class, or instanceof fails between them.
  splitting: true,
  treeshake: true,
  // Drivers are the host's: optional peer dependencies, never bundled.
  external: ['better-sqlite3', 'pg', 'ioredis', 'tsx'],
});
