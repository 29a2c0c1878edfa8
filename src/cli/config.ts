import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiAccountManager } from '../core/manager.js';
import type { ApiAccountManagerOptions } from '../core/options.js';

/** What the command line works with: the host's manager, and its store when it can migrate. */
export interface LoadedConfig {
  readonly manager: ApiAccountManager;
  readonly store: { migrate(): Promise<void>; close?(): Promise<void> } | null;
  /** The module it was read from: it runs code, so the operator is told which. */
  readonly file: string;
}

/** A mistake in how the command line was called or configured: exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const DEFAULT_NAMES = [
  'api-accounts.config.ts',
  'api-accounts.config.js',
  'api-accounts.config.mjs',
];

/**
 * The host's configuration module: `--config`, else the first of
 * `api-accounts.config.{ts,js,mjs}` in the working directory. Its default
 * export is a manager or the options to build one; a store to migrate is
 * the options' `store`, or a named export `store`. A `.ts` module is loaded
 * through `tsx`, when the host has it installed.
 */
export async function loadConfig(path: string | undefined, cwd: string): Promise<LoadedConfig> {
  const file = path
    ? resolve(cwd, path)
    : DEFAULT_NAMES.map((name) => resolve(cwd, name)).find(existsSync);
  if (!file || !existsSync(file)) {
    throw new UsageError(
      path
        ? `No configuration module at ${path}.`
        : 'No api-accounts.config.{ts,js,mjs} here: create one that exports the manager (or its options) as default, or pass --config.',
    );
  }
  const loaded = (await importModule(file)) as { default?: unknown; store?: unknown };
  const exported = loaded.default;
  // A manager from any copy of the package (the host's own import) is used as it is.
  const manager = isManagerLike(exported)
    ? (exported as ApiAccountManager)
    : typeof exported === 'object' && exported !== null
      ? new ApiAccountManager(exported as ApiAccountManagerOptions)
      : null;
  if (!manager) {
    throw new UsageError(`${file} must export a manager, or its options, as default.`);
  }
  const store = [loaded.store, (exported as { store?: unknown } | null)?.store].find(isMigratable);
  return { manager, store: (store as LoadedConfig['store']) ?? null, file };
}

async function importModule(file: string): Promise<unknown> {
  if (!/\.(c|m)?ts$/.test(file)) return import(pathToFileURL(file).href);
  // TypeScript needs a loader: tsx's, when the host has it, as drizzle-kit and others do.
  // A name in a variable: the host's tsx, never one bundled into this package.
  const loader = 'tsx/esm/api';
  const tsx = (await import(loader).catch(() => null)) as {
    tsImport?: (specifier: string, parent: string) => Promise<unknown>;
  } | null;
  if (!tsx?.tsImport) {
    throw new UsageError(
      `${file} is TypeScript: install tsx (npm install -D tsx) to load it, or write the configuration as .mjs.`,
    );
  }
  return tsx.tsImport(pathToFileURL(file).href, import.meta.url);
}

/** Whether `value` is a manager rather than its options. */
function isManagerLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { createAccount?: unknown }).createAccount === 'function' &&
    typeof (value as { listAccounts?: unknown }).listAccounts === 'function'
  );
}

function isMigratable(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { migrate?: unknown }).migrate === 'function'
  );
}
