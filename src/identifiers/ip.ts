/**
 * IP: canonical text via ipaddr.js — IPv4 dotted decimal (four-part decimal only, no octal/hex tricks), IPv6 in
 * RFC 5952 form; IPv4-mapped IPv6 becomes IPv4. Only public unicast addresses are identifiers: private, loopback,
 * link-local, carrier-grade NAT and reserved ranges are shared by everyone and are rejected as NOT_PUBLIC.
 */
import ipaddr from 'ipaddr.js';
import { accept, reject, type NormalizeResult } from './kinds';
import { fold } from './text';
import { libTrace } from './lib-trace';

/** ipaddr's own shape test in isValidFourPartDecimal, asked first: it rejects without the parser's exception. */
const FOUR_PART_DECIMAL = /^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/;

/**
 * False only for text that ipaddr.IPv6.parse rejects (by throwing, which costs far more than the parse): without a
 * '::' its parser accepts 8 hexadecimal parts (7 colons) or 6 parts and a dotted IPv4 address (6 colons) and
 * nothing else — times such as 23:59:59 are the common case (shortcuts.spec checks the claim against ipaddr).
 */
export function mayBeIpv6(s: string): boolean {
  if (s.includes('::')) return true;
  let colons = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0x3a) colons++;
  return colons === 7 || colons === 6;
}

function parseIpv6(s: string): ipaddr.IPv6 | undefined {
  if (!mayBeIpv6(s)) return undefined;
  libTrace.on?.('IPV6', s);
  try {
    return ipaddr.IPv6.parse(s);
  } catch {
    return undefined;
  }
}

function isValidFourPartDecimal(s: string): boolean {
  libTrace.on?.('IPV4_VALID', s);
  return ipaddr.IPv4.isValidFourPartDecimal(s);
}

export function normalizeIp(raw: string): NormalizeResult {
  const s = fold(raw)
    .trim()
    .replace(/^\[|\]$/g, '');
  if (!s) return reject('EMPTY', 'empty IP address');
  if (s.length > 64) return reject('TOO_LONG', 'longer than any IP address');
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (FOUR_PART_DECIMAL.test(s) && isValidFourPartDecimal(s)) {
    libTrace.on?.('IPV4', s);
    addr = ipaddr.IPv4.parse(s);
  } else {
    // IPv6.isValid(s) is "IPv6.parse(s) does not throw": parse once
    const v6 = s.includes(':') && !s.includes('%') ? parseIpv6(s) : undefined;
    if (!v6) return reject('UNKNOWN_FORMAT', 'not an IPv4 or IPv6 address');
    addr = v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  const range = addr.range();
  if (range !== 'unicast') return reject('NOT_PUBLIC', `${range} address`);
  const value = addr.kind() === 'ipv4' ? addr.toString() : (addr as ipaddr.IPv6).toRFC5952String();
  return accept({ kind: 'IP', value, display: value, attributes: { version: addr.kind() === 'ipv4' ? 'v4' : 'v6' } });
}
