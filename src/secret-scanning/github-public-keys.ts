import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * One of GitHub's secret scanning public keys, as its API lists them.
 *
 * @example
 * ```ts
 * const key: GitHubPublicKey = { key_identifier: '90a4…', key: '-----BEGIN PUBLIC KEY-----\n…', is_current: true };
 * ```
 */
export interface GitHubPublicKey {
  readonly key_identifier: string;
  /** PEM (SPKI) of an ECDSA P-256 key. */
  readonly key: string;
  readonly is_current: boolean;
}

/** Where GitHub publishes the keys that sign its secret scanning reports. */
export const GITHUB_SECRET_SCANNING_KEYS_URL =
  'https://api.github.com/meta/public_keys/secret_scanning';

/** The published keys, fetched (with `fetch`) from GitHub's API. */
export async function fetchGitHubPublicKeys(): Promise<GitHubPublicKey[]> {
  const response = await fetch(GITHUB_SECRET_SCANNING_KEYS_URL, {
    headers: { accept: 'application/vnd.github+json' },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`GitHub answered ${response.status} for its public keys`);
  const body = (await response.json()) as { public_keys?: GitHubPublicKey[] };
  return body.public_keys ?? [];
}

/** Least time between two fetches for an unknown identifier: a flood of made-up ones fetches once. */
const REFETCH_AFTER_MS = 60_000;

/**
 * GitHub's keys by identifier, loaded once and cached; an identifier not in
 * the cache loads them again (GitHub rotates its keys), at most once a minute.
 */
export function publicKeyCache(
  load: () => Promise<readonly GitHubPublicKey[]>,
): (identifier: string) => Promise<KeyObject | null> {
  let keys: Map<string, KeyObject> | null = null;
  let loadedAt = Number.NEGATIVE_INFINITY;
  const reload = async () => {
    loadedAt = performance.now();
    const next = new Map<string, KeyObject>();
    for (const entry of await load()) {
      try {
        next.set(entry.key_identifier, createPublicKey(entry.key));
      } catch {
        // A key that does not parse signs nothing we accept.
      }
    }
    keys = next;
  };
  return async (identifier) => {
    if (
      !keys?.has(identifier) &&
      (keys === null || performance.now() - loadedAt > REFETCH_AFTER_MS)
    ) {
      await reload();
    }
    return keys?.get(identifier) ?? null;
  };
}
