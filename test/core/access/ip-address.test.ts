import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileAllowedIps,
  isAddressAllowed,
  validateAllowedIps,
} from '../../../src/core/access/allowed-ips.js';
import {
  formatIpRange,
  ipRangeContains,
  parseClientAddress,
  parseIpRange,
} from '../../../src/core/access/ip-address.js';

/**
 * Python's `ipaddress` as the oracle: for each range text, its strict network
 * in our canonical form (IPv4-mapped ranges as IPv4, single addresses without
 * /32 or /128), or null; for each (range, address) pair, whether it contains it.
 */
const ORACLE = `
import ipaddress, json, re, sys
cases = json.load(sys.stdin)
def canonical(text):
    # Our grammar: no netmask forms, no zones, no leading zeros in a prefix.
    if '%' in text or not re.fullmatch(r'[^/]*(/(0|[1-9][0-9]{0,2}))?', text):
        return None
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError:
        return None
    if net.version == 6 and net.prefixlen >= 96 and int(net.network_address) >> 32 == 0xffff:
        net = ipaddress.ip_network((int(net.network_address) & 0xffffffff, net.prefixlen - 96))
    s = str(net)
    return s.rsplit('/', 1)[0] if net.prefixlen == net.max_prefixlen else s
def address(text):
    a = ipaddress.ip_address(text)
    return a.ipv4_mapped or a if a.version == 6 else a
def contains(net_text, addr_text):
    net = ipaddress.ip_network(canonical(net_text))
    a = address(addr_text)
    return a.version == net.version and a in net
print(json.dumps({
  'ranges': [canonical(t) for t in cases['ranges']],
  'contains': [contains(n, a) for n, a in cases['pairs']],
}))
`;

function oracle(cases: { ranges: string[]; pairs: [string, string][] }): {
  ranges: (string | null)[];
  contains: boolean[];
} {
  return JSON.parse(
    execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify(cases), encoding: 'utf8' }),
  );
}

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255, 256, 1000));
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const group = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16));
const ipv6 = fc
  .tuple(
    fc.array(group, { minLength: 8, maxLength: 8 }),
    fc.integer({ min: -1, max: 7 }),
    fc.integer({ min: 1, max: 8 }),
  )
  .map(([groups, at, length]) => {
    if (at < 0) return groups.join(':');
    // Compress a run: `::` where the run was, whatever its groups held (the oracle says what it means).
    return `${groups.slice(0, at).join(':')}::${groups.slice(at + length).join(':')}`;
  });
const mapped = ipv4.map((v4) => `::ffff:${v4}`);
const address = fc.oneof(ipv4, ipv6, mapped);
const mutated = fc
  .tuple(address, fc.constantFrom('', ':', '.', '::', '1', 'g', ' ', '/'), fc.nat())
  .map(([text, insert, at]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i);
  });
const rangeText = fc.oneof(
  address,
  fc.tuple(address, fc.integer({ min: 0, max: 130 })).map(([a, p]) => `${a}/${p}`),
  mutated,
);

/** A network that surely parses: an address with its host bits cleared by the oracle's own rules. */
function networkOf(text: string, prefix: number): string {
  const parsed = parseIpRange(text);
  if (!parsed.ok) return text;
  const { words } = parsed.range;
  const total = text.includes(':') ? prefix : 96 + prefix;
  const masked = words.map((w, i) => {
    const bits = Math.min(32, Math.max(0, total - 32 * i));
    return bits === 0 ? 0 : (w & ((0xffffffff << (32 - bits)) >>> 0)) >>> 0;
  }) as unknown as typeof words;
  return formatIpRange({ words: masked, prefix: total });
}

describe('IP ranges against Python ipaddress', () => {
  it('parse and normalise exactly as the oracle does, valid and malformed alike', () => {
    const fixed = [
      '10.0.0.0/8',
      '10.0.0.0/33',
      '::1/129',
      '1.2.3',
      '10.1.2.3/8',
      '01.2.3.4',
      '1.2.3.4/08',
      '::',
      '::/0',
      '0.0.0.0/0',
      '::ffff:10.0.0.0/104',
      '::ffff:0:0/96',
      '::ffff:0:0/95',
      '2001:DB8:0:0:0:0:0:1',
      '2001:db8::1:0:0:1',
      '2001:db8:0:0:1:0:0:1',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      '1::2:3:4:5:6:7:8',
      ':::',
      '1:2:3:4:5:6:7:8:9',
      '::1.2.3.4',
      '1.2.3.4::',
      'fe80::1%eth0',
      '',
      '/8',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      '１.2.3.4',
    ];
    const ranges = [...fixed, ...fc.sample(rangeText, { numRuns: 3000, seed: 16 })];
    const expected = oracle({ ranges, pairs: [] }).ranges;
    const actual = ranges.map((text) => {
      const parsed = parseIpRange(text);
      return parsed.ok ? formatIpRange(parsed.range) : null;
    });
    const disagreements = ranges
      .map((text, i) => ({ text, ours: actual[i], python: expected[i] }))
      .filter(({ ours, python }) => ours !== python);
    expect(disagreements).toEqual([]);
    // Both kinds were exercised.
    expect(actual.filter((a) => a !== null).length).toBeGreaterThan(500);
    expect(actual.filter((a) => a === null).length).toBeGreaterThan(500);
  });

  it('match addresses exactly as the oracle does, IPv4-mapped clients included', () => {
    const pairs = fc
      .sample(
        fc
          .tuple(address, fc.integer({ min: 0, max: 128 }), address)
          .filter(([net, , client]) => parseIpRange(net).ok && parseClientAddress(client) !== null),
        { numRuns: 3000, seed: 17 },
      )
      .map(([net, prefix, client]): [string, string] => [
        networkOf(net, Math.min(prefix, net.includes(':') ? 128 : 32)),
        client,
      ]);
    // Near neighbours: a client one address inside and one outside each small range.
    pairs.push(
      ['10.0.0.0/8', '10.255.255.255'],
      ['10.0.0.0/8', '11.0.0.0'],
      ['10.0.0.0/8', '::ffff:10.1.2.3'],
      ['::ffff:10.0.0.0/104', '10.1.2.3'],
      ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
      ['2001:db8::/32', '2001:db9::'],
      ['0.0.0.0/0', '::1'],
      ['::/0', '10.0.0.1'],
      ['203.0.113.7', '203.0.113.7'],
      ['203.0.113.7', '203.0.113.8'],
    );
    const expected = oracle({ ranges: [], pairs }).contains;
    const actual = pairs.map(([net, client]) => {
      const parsed = parseIpRange(net);
      const bits = parseClientAddress(client);
      if (!parsed.ok || !bits) throw new Error(`bad pair ${net} ${client}`);
      return ipRangeContains(parsed.range, bits);
    });
    const disagreements = pairs
      .map((pair, i) => ({ pair, ours: actual[i], python: expected[i] }))
      .filter(({ ours, python }) => ours !== python);
    expect(disagreements).toEqual([]);
    expect(actual.filter(Boolean).length).toBeGreaterThan(50);
    expect(actual.filter((a) => !a).length).toBeGreaterThan(50);
  });
});

describe('validateAllowedIps', () => {
  it('normalises, trims and drops duplicates, keeping order', () => {
    expect(
      validateAllowedIps([
        ' 10.0.0.0/8 ',
        '2001:DB8::/32',
        '::ffff:10.0.0.0/104',
        '203.0.113.7/32',
      ]),
    ).toEqual(expect.objectContaining({ value: ['10.0.0.0/8', '2001:db8::/32', '203.0.113.7'] }));
  });

  it.each<[unknown, string]>([
    [['10.0.0.0/33'], 'prefix_out_of_range'],
    [['::1/129'], 'prefix_out_of_range'],
    [['1.2.3'], 'malformed_address'],
    [['10.1.2.3/8'], 'host_bits_set'],
    [[42], 'malformed_address'],
    ['10.0.0.0/8', 'not_a_list'],
    [Array.from({ length: 101 }, (_, i) => `10.0.0.${i}`), 'too_many'],
  ])('refuses an allowlist as InvalidInput (%#: %s)', (input, reason) => {
    const error = validateAllowedIps(input)._unsafeUnwrapErr();
    expect(error).toMatchObject({ type: 'InvalidInput', field: 'allowedIps', reason });
  });

  it('echoes a long entry only in part', () => {
    const error = validateAllowedIps(['x'.repeat(100_000)])._unsafeUnwrapErr();
    expect(error.message.length).toBeLessThan(400);
  });
});

describe('isAddressAllowed', () => {
  const ranges = compileAllowedIps(['10.0.0.0/8', '2001:db8::/32']);

  it('lets anything through an empty list, and only listed addresses otherwise', () => {
    expect(isAddressAllowed(compileAllowedIps([]), undefined)).toBe(true);
    expect(isAddressAllowed(ranges, '10.9.8.7')).toBe(true);
    expect(isAddressAllowed(ranges, '::ffff:10.9.8.7')).toBe(true);
    expect(isAddressAllowed(ranges, '2001:db8::1%eth0')).toBe(true);
    expect(isAddressAllowed(ranges, '192.0.2.1')).toBe(false);
  });

  it('never fails open: no address, an unreadable one, or a hand-edited bad entry refuse', () => {
    expect(isAddressAllowed(ranges, undefined)).toBe(false);
    expect(isAddressAllowed(ranges, '')).toBe(false);
    expect(isAddressAllowed(ranges, 'unknown')).toBe(false);
    expect(isAddressAllowed(ranges, '10.0.0.1, 192.0.2.1')).toBe(false);
    expect(isAddressAllowed(compileAllowedIps(['not an address']), '10.0.0.1')).toBe(false);
  });
});
