import type { VerificationConfig } from '../options.js';
import type { VerificationPorts } from '../port-calls.js';
import type { UsageCounter } from '../usage/usage-counter.js';
import type { VerificationCache } from './verdict-cache.js';

/**
 * What verification runs with: the ports it calls, wrapped; its resolved
 * options; the verdict cache, when configured; and where verifications are
 * counted, unless `usage: false`. A manager's operations run with this and
 * more.
 */
export interface VerificationContext {
  readonly ports: VerificationPorts;
  readonly config: VerificationConfig;
  readonly cache: VerificationCache | null;
  readonly usage: UsageCounter | null;
}
