/**
 * The package's entry points: subpath export → source file. tsup builds each
 * one; Vitest resolves `api-accounts/…` imports in tests to the sources. Keep in
 * step with `exports` in package.json and `paths` in tsconfig.json.
 */
export const entryPoints = {
  'api-accounts': 'src/index.ts',
  'api-accounts/testing': 'src/testing/index.ts',
  'api-accounts/sqlite': 'src/adapters/sqlite/index.ts',
  'api-accounts/postgres': 'src/adapters/postgres/index.ts',
  'api-accounts/redis': 'src/adapters/redis/index.ts',
  'api-accounts/middleware': 'src/middleware/index.ts',
  'api-accounts/nodemailer': 'src/adapters/nodemailer/index.ts',
  'api-accounts/sms': 'src/adapters/sms/index.ts',
  'api-accounts/claim-page': 'src/claim-page/index.ts',
} as const;
