/**
 * Leaked keys: GitHub's secret scanning partner program received
 * (`githubSecretScanning`), and the pattern of prefixed keys to register
 * with it (`keyPattern`). Every other channel calls
 * `manager.reportLeakedKey` directly.
 *
 * @module
 */
export {
  fetchGitHubPublicKeys,
  GITHUB_SECRET_SCANNING_KEYS_URL,
  type GitHubPublicKey,
} from './github-public-keys.js';
export {
  type GitHubSecretScanningOptions,
  githubSecretScanning,
  type LeakNotice,
} from './github-secret-scanning.js';
export { keyPattern } from './key-pattern.js';
