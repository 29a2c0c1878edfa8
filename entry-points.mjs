// The package's entry points, listed once in entry-points.json: subpath
// export → source file. tsup builds each, Vitest resolves `api-accounts/…`
// imports in tests to the sources, TypeDoc documents each; a test checks that
// package.json's `exports` and `typesVersions` and tsconfig's `paths` agree.
import { readFileSync } from 'node:fs';

/** @type {Readonly<Record<string, string>>} */
export const entryPoints = JSON.parse(
  readFileSync(new URL('./entry-points.json', import.meta.url), 'utf8'),
);
