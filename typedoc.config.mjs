// TypeDoc documents every entry point of entry-points.json.
import { entryPoints } from './entry-points.mjs';

/** @type {import('typedoc').TypeDocOptions} */
export default {
  $schema: 'https://typedoc.org/schema.json',
  name: 'api-accounts',
  out: 'docs/api',
  tsconfig: 'tsconfig.json',
  readme: 'README.md',
  includeVersion: true,
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: {
    notExported: true,
    invalidLink: true,
    notDocumented: true,
  },
  requiredToBeDocumented: [
    'Class',
    'Function',
    'Interface',
    'TypeAlias',
    'Variable',
    'Enum',
    'Method',
    'Accessor',
  ],
  disableSources: true,
  // The table each error type is derived from (and its helper type) is internal:
  // every type it makes is documented under `errors`.
  intentionallyNotExported: ['errors', 'Made'],
  entryPoints: Object.values(entryPoints),
};
