import { createHash, verify } from 'node:crypto';
import type { ApiAccountManager } from '../core/manager.js';
import { isWebAddress, type LeakedKey } from '../core/operations/report-leaked-key.js';
import { readAtMost } from '../http/read-stream.js';
import {
  fetchGitHubPublicKeys,
  type GitHubPublicKey,
  publicKeyCache,
} from './github-public-keys.js';

/**
 * What `onLeak` is told of a key that was live when reported: which
 * account, which of its keys, and where it was found. Never the key.
 *
 * @example
 * ```ts
 * const onLeak = (leak: LeakNotice) => pager.notify(`API key of ${leak.accountId} (${leak.tenant}) leaked: ${leak.url}`);
 * ```
 */
export interface LeakNotice {
  readonly accountId: string;
  readonly tenant: string;
  readonly keyState: LeakedKey['keyState'];
  readonly source: string;
  readonly url: string | null;
}

/**
 * Options of {@link githubSecretScanning}.
 *
 * @example
 * ```ts
 * const options: GitHubSecretScanningOptions = { onLeak: (leak) => alerts.send(leak) };
 * ```
 */
export interface GitHubSecretScanningOptions {
  /**
   * GitHub's signing keys. Default: fetched from GitHub's API
   * (`/meta/public_keys/secret_scanning`) on first use, cached, and fetched
   * again (at most once a minute) when a report names a key not yet seen.
   */
  readonly publicKeys?: () => Promise<readonly GitHubPublicKey[]>;
  /** Told of every key that was live when reported, for the host's alerting. Its failures are ignored. */
  readonly onLeak?: (leak: LeakNotice) => void | Promise<void>;
  /** Largest body read, in bytes: 413 past it. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Most tokens in one report: 413 past it. Default 1,000. */
  readonly maxTokens?: number;
}

/** One finding of GitHub's report. */
interface Finding {
  readonly token: string;
  readonly type: string;
  readonly url: string | null;
  readonly source: string | null;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_TOKENS = 1000;
const CONCURRENT_REPORTS = 8;

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

/**
 * GitHub's secret scanning partner program, received: a Web handler
 * (`Request` → `Response`) for the endpoint registered with GitHub. It
 * checks `Github-Public-Key-Signature` (ECDSA P-256, SHA-256, over the raw
 * body) with the key `Github-Public-Key-Identifier` names before it reads a
 * token; a missing, unknown or wrong signature is 401 and changes nothing.
 * Each reported token goes through `manager.reportLeakedKey`: a live key
 * stops at once everywhere and its owner is told where it was found. The
 * answer lists `{ token_hash, token_type, label }` per token (the token's
 * SHA-256 in hex, never the token); `true_positive` for a key that was live.
 * A failing store answers 503, so that GitHub sends the report again (a
 * second report of a key changes nothing).
 *
 * @example
 * ```ts
 * import { githubSecretScanning } from 'api-accounts/secret-scanning';
 *
 * const receiver = githubSecretScanning(manager, { onLeak: (leak) => alerts.send(leak) });
 * app.post('/github/secret-scanning', (c) => receiver(c.req.raw));
 * ```
 */
export function githubSecretScanning(
  manager: Pick<ApiAccountManager, 'reportLeakedKey'>,
  options: GitHubSecretScanningOptions = {},
): (request: Request) => Promise<Response> {
  const keyFor = publicKeyCache(options.publicKeys ?? fetchGitHubPublicKeys);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;

  const report = async (finding: Finding) => {
    const source = `github${finding.source ? `:${finding.source}` : ''}`.slice(0, 64);
    const reported = await manager.reportLeakedKey(finding.token, {
      source,
      url: finding.url,
    });
    if (reported.isErr()) return { finding, failed: true, leaked: null };
    const leaked = reported.value;
    if (leaked && options.onLeak) {
      const { accountId, tenant, keyState } = leaked;
      await Promise.resolve()
        .then(() => options.onLeak?.({ accountId, tenant, keyState, source, url: finding.url }))
        .catch(() => undefined);
    }
    return { finding, failed: false, leaked };
  };

  return async function githubSecretScanningReceiver(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return answer(405, { error: 'Use POST.' }, { allow: 'POST' });
    }
    const identifier = request.headers.get('github-public-key-identifier');
    const signature = request.headers.get('github-public-key-signature');
    if (!identifier || !signature) return answer(401, { error: 'The report is not signed.' });
    let body: Buffer;
    try {
      body = request.body ? await readAtMost(request.body, maxBodyBytes) : Buffer.alloc(0);
    } catch {
      return answer(400, { error: 'The body could not be read.' });
    }
    if (body.length > maxBodyBytes) return answer(413, { error: 'The report is too large.' });
    let key: Awaited<ReturnType<typeof keyFor>>;
    try {
      key = await keyFor(identifier);
    } catch {
      // GitHub's keys could not be fetched: let GitHub send the report again later.
      return answer(
        503,
        { error: 'The signing keys are not available now.' },
        { 'retry-after': '60' },
      );
    }
    if (!key || !verifySignature(body, key, signature)) {
      return answer(401, { error: 'The signature does not verify.' });
    }
    const findings = findingsOf(body);
    if (findings === null) return answer(400, { error: 'The body is not a list of findings.' });
    if (findings.length > maxTokens) {
      return answer(413, { error: `A report holds at most ${maxTokens} tokens.` });
    }
    // A few at a time: a live key's report writes and sends its claim, and GitHub waits 30 s.
    const results: Awaited<ReturnType<typeof report>>[] = [];
    for (let start = 0; start < findings.length; start += CONCURRENT_REPORTS) {
      const batch = findings.slice(start, start + CONCURRENT_REPORTS);
      results.push(...(await Promise.all(batch.map(report))));
    }
    if (results.some((result) => result.failed)) {
      return answer(
        503,
        { error: 'The report could not be recorded now.' },
        { 'retry-after': '60' },
      );
    }
    return answer(
      200,
      results.map(({ finding, leaked }) => ({
        token_hash: createHash('sha256').update(finding.token).digest('hex'),
        token_type: finding.type,
        label: leaked ? 'true_positive' : 'false_positive',
      })),
    );
  };
}

/** Whether `signature` (base64 DER) signs `body` under `key`; anything malformed does not. */
function verifySignature(
  body: Buffer,
  key: Parameters<typeof verify>[2],
  signature: string,
): boolean {
  try {
    return verify('sha256', body, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The findings of a report: a JSON array of objects with a string `token`; `null` for anything else. */
function findingsOf(body: Buffer): Finding[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const text = (value: unknown, max: number) =>
    typeof value === 'string' && value.length <= max ? value : null;
  const findings: Finding[] = [];
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) return null;
    const { token, type, url, source } = item as Record<string, unknown>;
    if (typeof token !== 'string') return null;
    findings.push({
      token,
      type: text(type, 256) ?? '',
      // An address the history cannot keep is left out; the token is still reported.
      url: isWebAddress(url) ? url : null,
      source: text(source, 32),
    });
  }
  return findings;
}
