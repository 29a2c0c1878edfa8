/**
 * entry-points.json lists the package's entry points once; tsup, Vitest and
 * TypeDoc read it. package.json and tsconfig.json cannot read a file, so this
 * checks that they say the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryPoints } from '../../entry-points.mjs';

const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json');
const subpath = (specifier: string) =>
  specifier === 'api-accounts' ? '.' : `./${specifier.slice('api-accounts/'.length)}`;
const built = (specifier: string, extension: string) =>
  specifier === 'api-accounts'
    ? `./dist/index${extension}`
    : `./dist/${specifier.slice('api-accounts/'.length)}/index${extension}`;

describe('entry points, listed once', () => {
  const specifiers = Object.keys(entryPoints);

  it('package.json exports each one, ESM and CJS with types per condition, and nothing else', () => {
    expect(Object.keys(pkg.exports).filter((key) => key !== './package.json')).toEqual(
      specifiers.map(subpath),
    );
    for (const specifier of specifiers) {
      expect(pkg.exports[subpath(specifier)]).toEqual({
        import: { types: built(specifier, '.d.ts'), default: built(specifier, '.js') },
        require: { types: built(specifier, '.d.cts'), default: built(specifier, '.cjs') },
      });
    }
  });

  it('typesVersions points each subpath at its CJS types, for node10 resolution', () => {
    const subpaths = specifiers.filter((specifier) => specifier !== 'api-accounts');
    expect(pkg.typesVersions['*']).toEqual(
      Object.fromEntries(
        subpaths.map((specifier) => [subpath(specifier).slice(2), [built(specifier, '.d.cts')]]),
      ),
    );
  });

  it('tsconfig paths resolve each one to its source', () => {
    // tsconfig.json allows comments and trailing commas; this one has none.
    expect(read('tsconfig.json').compilerOptions.paths).toEqual(
      Object.fromEntries(
        Object.entries(entryPoints).map(([name, source]) => [name, [`./${source}`]]),
      ),
    );
  });
});
