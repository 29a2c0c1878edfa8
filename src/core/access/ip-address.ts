/**
 * IP addresses and CIDR ranges, parsed exactly: every address is held as 128
 * bits (four 32-bit words), IPv4 as its IPv4-mapped IPv6 form
 * (`::ffff:a.b.c.d`), so that a client reaching a dual-stack socket as
 * `::ffff:10.0.0.7` matches `10.0.0.0/8` by the same comparison as `10.0.0.7`.
 * Matching compares masked words: no string prefixes. IPv6 ranges hold only
 * IPv6 clients, as Python's `ipaddress` has it: `::/0` is every IPv6 address.
 *
 * @module
 */

/**
 * An address as 128 bits: four unsigned 32-bit words, most significant first.
 */
export type IpBits = readonly [number, number, number, number];

/**
 * A parsed range: the network's words and the prefix length, in the 128-bit
 * space (an IPv4 `/8` is a `/104` here).
 */
export interface IpRange {
  readonly words: IpBits;
  readonly prefix: number;
}

/**
 * Why an allowed address or range was refused.
 */
export type IpRangeReason = 'malformed_address' | 'prefix_out_of_range' | 'host_bits_set';

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** An IPv4 address's 32 bits; `null` unless four decimal octets without leading zeros. */
function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** The 16-bit groups of an IPv6 address (a dotted IPv4 tail counts as two); `null` if malformed. */
function parseIpv6Groups(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string, last: boolean): number[] | null => {
    if (half === '') return [];
    const groups: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (last && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === null) return null;
        groups.push(v4 >>> 16, v4 & 0xffff);
      } else if (HEX_GROUP.test(part)) {
        groups.push(Number.parseInt(part, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  if (halves.length === 1) {
    const groups = groupsOf(text, true);
    return groups && groups.length === 8 ? groups : null;
  }
  const head = groupsOf(halves[0] as string, false);
  const tail = groupsOf(halves[1] as string, true);
  // `::` stands for at least one group of zeros.
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** An address as 128 bits; `null` unless a plain IPv4 or IPv6 address. */
function parseAddress(text: string): IpBits | null {
  if (text.length === 0 || text.length > 45) return null;
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === null ? null : [0, 0, 0xffff, v4];
  }
  const groups = parseIpv6Groups(text);
  if (!groups) return null;
  const word = (i: number) => (((groups[i] as number) << 16) | (groups[i + 1] as number)) >>> 0;
  return [word(0), word(2), word(4), word(6)];
}

/** The mask of the `prefix` leading bits of word `i` (0 to 3). */
function maskWord(prefix: number, i: number): number {
  const bits = Math.min(32, Math.max(0, prefix - 32 * i));
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function isMapped(words: IpBits, prefix: number): boolean {
  return prefix >= 96 && words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/**
 * An address or CIDR range as an administrator types it (`203.0.113.7`,
 * `10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.0/104`), parsed; a range with
 * bits set past its prefix is refused rather than guessed at.
 */
export function parseIpRange(
  text: string,
):
  | { readonly ok: true; readonly range: IpRange }
  | { readonly ok: false; readonly reason: IpRangeReason } {
  const slash = text.indexOf('/');
  const address = parseAddress(slash === -1 ? text : text.slice(0, slash));
  if (!address) return { ok: false, reason: 'malformed_address' };
  const v4 = !text.slice(0, slash === -1 ? undefined : slash).includes(':');
  let prefix = 128;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (!/^(?:0|[1-9]\d{0,2})$/.test(digits)) return { ok: false, reason: 'prefix_out_of_range' };
    const bits = Number(digits);
    if (bits > (v4 ? 32 : 128)) return { ok: false, reason: 'prefix_out_of_range' };
    prefix = v4 ? 96 + bits : bits;
  }
  for (let i = 0; i < 4; i++) {
    if (((address[i] as number) & ~maskWord(prefix, i)) !== 0) {
      return { ok: false, reason: 'host_bits_set' };
    }
  }
  return { ok: true, range: { words: address, prefix } };
}

/**
 * A client's address as 128 bits, for {@link ipRangeContains}; `null` when it
 * is not an address. A zone (`fe80::1%eth0`) is dropped: ranges carry none.
 */
export function parseClientAddress(text: string): IpBits | null {
  const zone = text.indexOf('%');
  return parseAddress(zone === -1 ? text : text.slice(0, zone));
}

/**
 * Whether `address` lies in `range`.
 */
export function ipRangeContains(range: IpRange, address: IpBits): boolean {
  const { words, prefix } = range;
  // An IPv4 client belongs to IPv4 ranges only: `::/0` means every IPv6 address, not every address.
  if (isMapped(address, 128) && !isMapped(words, prefix)) return false;
  for (let i = 0; i < 4 && prefix > 32 * i; i++) {
    if (((address[i] as number) & maskWord(prefix, i)) >>> 0 !== words[i]) return false;
  }
  return true;
}

/**
 * A range as stored and shown: IPv4 (mapped ranges too) in dotted form, IPv6
 * in RFC 5952's canonical text (lower case, the longest run of zero groups as
 * `::`); a single address without its `/32` or `/128`.
 */
export function formatIpRange(range: IpRange): string {
  const { words, prefix } = range;
  if (isMapped(words, prefix)) {
    const v4 = words[3];
    const dotted = [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.');
    return prefix === 128 ? dotted : `${dotted}/${prefix - 96}`;
  }
  const groups = words.flatMap((word) => [word >>> 16, word & 0xffff]);
  // The longest run of two or more zero groups (the first of equals) becomes `::`.
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > best.length) best = { start: i, length: end - i };
    i = end;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  const text =
    best.start === -1
      ? hex(groups)
      : `${hex(groups.slice(0, best.start))}::${hex(groups.slice(best.start + best.length))}`;
  return prefix === 128 ? text : `${text}/${prefix}`;
}
