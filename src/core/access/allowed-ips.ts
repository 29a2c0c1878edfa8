import { errors, type InvalidInput } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { describeNonString, echoInput } from '../validation/echo-input.js';
import {
  formatIpRange,
  type IpRange,
  ipRangeContains,
  parseClientAddress,
  parseIpRange,
} from './ip-address.js';

/** Most entries an account's allowlist holds: ranges, not a list of every partner server. */
export const MAX_ALLOWED_IPS = 100;

const REASON_MESSAGES = {
  malformed_address: 'is not an IPv4 or IPv6 address',
  prefix_out_of_range: 'has a prefix length outside 0–32 (IPv4) or 0–128 (IPv6)',
  host_bits_set:
    'has bits set after its prefix; write the network address (10.0.0.0/8) or a single address (10.1.2.3)',
} as const;

/**
 * An account's `allowedIps` as an administrator gave them, checked and
 * normalised: trimmed, each in canonical form (`2001:DB8::/32` becomes
 * `2001:db8::/32`, `::ffff:10.0.0.0/104` becomes `10.0.0.0/8`), duplicates
 * dropped, order kept. An empty list means anywhere.
 */
export function validateAllowedIps(input: unknown): Result<string[], InvalidInput> {
  if (!Array.isArray(input)) {
    return err(
      errors.invalidInput(
        'allowedIps',
        'allowedIps must be a list of IP addresses or CIDR ranges.',
        'not_a_list',
      ),
    );
  }
  if (input.length > MAX_ALLOWED_IPS) {
    return err(
      errors.invalidInput(
        'allowedIps',
        `allowedIps holds at most ${MAX_ALLOWED_IPS} addresses or ranges; use wider ranges.`,
        'too_many',
      ),
    );
  }
  const normalised: string[] = [];
  for (const entry of input as unknown[]) {
    if (typeof entry !== 'string') {
      return err(
        errors.invalidInput(
          'allowedIps',
          `${describeNonString(entry)} is not an IP address or range.`,
          'malformed_address',
        ),
      );
    }
    const parsed = parseIpRange(entry.trim());
    if (!parsed.ok) {
      return err(
        errors.invalidInput(
          'allowedIps',
          `${JSON.stringify(echoInput(entry))} ${REASON_MESSAGES[parsed.reason]}.`,
          parsed.reason,
        ),
      );
    }
    const text = formatIpRange(parsed.range);
    if (!normalised.includes(text)) normalised.push(text);
  }
  return ok(normalised);
}

/**
 * Stored allowlist entries, parsed once for matching; `null` for an empty
 * list (anywhere). An entry that does not parse (a store edited by hand) is
 * left out, so it matches nothing.
 */
export function compileAllowedIps(allowedIps: readonly string[]): readonly IpRange[] | null {
  if (allowedIps.length === 0) return null;
  const ranges: IpRange[] = [];
  for (const entry of allowedIps) {
    const parsed = parseIpRange(entry);
    if (parsed.ok) ranges.push(parsed.range);
  }
  return ranges;
}

/**
 * Whether a verification from `clientIp` may go on: anywhere when the list
 * is empty; otherwise only a known address inside one of the ranges. An
 * unknown or unreadable address is refused: never fail open.
 */
export function isAddressAllowed(ranges: readonly IpRange[] | null, clientIp: unknown): boolean {
  if (ranges === null) return true;
  if (typeof clientIp !== 'string') return false;
  const address = parseClientAddress(clientIp);
  if (!address) return false;
  for (const range of ranges) if (ipRangeContains(range, address)) return true;
  return false;
}
