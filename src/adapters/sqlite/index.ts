/**
 * SQLite storage for API accounts, over better-sqlite3 (an optional peer
 * dependency: install `better-sqlite3@12` to use this entry point).
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { ApiAccountManager } from 'api-accounts';
 * import { sqliteStore } from 'api-accounts/sqlite';
 *
 * const store = sqliteStore(new Database('api-accounts.db'));
 * await store.migrate();
 * const manager = new ApiAccountManager({ store, sms, email, directory, claimUrl }); // your senders
 * ```
 *
 * @module api-accounts/sqlite
 */
export { SchemaNotMigrated } from '../sql/schema-not-migrated.js';
export type { TableOptions } from '../sql/table-names.js';
export {
  type SqliteAccountStore,
  type SqliteDatabase,
  type SqliteStatement,
  type SqliteStoreOptions,
  type SqliteTransaction,
  sqliteStore,
} from './sqlite-store.js';
