/**
 * The library floor of extraction: every call extractIdentifiers makes into the libraries identifiers are built on
 * (libphonenumber-js, WHATWG URL and IDNA from node:url, tldts, ipaddr.js, bech32, bs58check and base-x,
 * @noble/hashes) is recorded in one untimed run through src/identifiers/lib-trace.ts, then made again alone with
 * the same arguments, asking of each result what the normaliser asks, best of 3 per kind of call. No scanner and
 * no code of ours can make extraction take less than that; the candidate scanner alone is timed too.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import basex from 'base-x';
import bs58check from 'bs58check';
import { bech32, bech32m } from 'bech32';
import ipaddr from 'ipaddr.js';
import * as lpn from 'libphonenumber-js/core';
import lpnMetadata from 'libphonenumber-js/metadata.max.json';
import { parse as parseHost } from 'tldts';
import { sha256 } from '@noble/hashes/sha2';
import { keccak_256 } from '@noble/hashes/sha3';
import { extractIdentifiers } from '../../src/identifiers';
import { libTrace, type LibCall } from '../../src/identifiers/lib-trace';
import { Scanner, Tok } from '../../src/identifiers/scanner';

/** Wall-clock ms, and the CPU ms of this process (user + system, GC threads included): steadier on a busy machine. */
export function time(fn: () => number): { ms: number; cpu: number; n: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const n = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { ms, cpu: (c.user + c.system) / 1e3, n };
}

/** The best of 3 wall-clock times and, on its own, the best of the 3 CPU times; `before` runs untimed before each. */
export function best(fn: () => number, before: () => void = () => undefined): { ms: number; cpu: number; n: number } {
  let b = { ms: Infinity, cpu: Infinity, n: 0 };
  for (let i = 0; i < 3; i++) {
    before();
    const r = time(fn);
    if (r.ms < b.ms) b = { ...r, cpu: b.cpu };
    b.cpu = Math.min(b.cpu, r.cpu);
  }
  return b;
}

/**
 * Each traced library call (see lib-trace.ts) made again with the same arguments, asking of the result what the
 * normaliser asks of it; returns a number derived from the answer so that no call is dead code.
 */
const XRP = basex('rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz');
const LIB_OPTS = { allowPrivateDomains: true, extractHostname: false } as const;
const LPN: lpn.MetadataJson = lpnMetadata;
function phoneParse(a: string, b: string): number {
  const p = lpn.parsePhoneNumberFromString(a, { defaultCountry: b as lpn.CountryCode, extract: false }, LPN);
  if (!p || !p.isValid()) return 0;
  return p.number.length + p.formatInternational().length + (p.country ?? '').length + (p.getType() ?? '').length;
}
const REPLAY: Record<LibCall, (a: string, b: string) => number> = {
  PHONE_PARSE: phoneParse,
  PHONE_LENGTH: (a, b) => (lpn.validatePhoneNumberLength(a, b as lpn.CountryCode, LPN) ?? '').length,
  PHONE_SUPPORTED: (a) => (lpn.isSupportedCountry(a as lpn.CountryCode, LPN) ? 1 : 0),
  PHONE_CALLING_CODE: (a) => lpn.getCountryCallingCode(a as lpn.CountryCode, LPN).length,
  URL: (a) => {
    try {
      const u = new URL(a);
      return u.protocol.length + u.hostname.length + u.port.length + u.pathname.length + u.search.length;
    } catch {
      return 0;
    }
  },
  DOMAIN_TO_ASCII: (a) => domainToASCII(a).length,
  DOMAIN_TO_UNICODE: (a) => domainToUnicode(a).length,
  TLDTS: (a) => {
    const p = parseHost(a, LIB_OPTS);
    return (p.isIp ? 1 : 0) + (p.isIcann ? 1 : 0) + (p.isPrivate ? 1 : 0) + (p.domain ?? '').length;
  },
  IPV4_VALID: (a) => (ipaddr.IPv4.isValidFourPartDecimal(a) ? 1 : 0),
  IPV4: (a) => {
    const ip = ipaddr.IPv4.parse(a);
    return ip.range().length + ip.kind().length + ip.toString().length;
  },
  IPV6: (a) => {
    let v6: ipaddr.IPv6;
    try {
      v6 = ipaddr.IPv6.parse(a);
    } catch {
      return 0;
    }
    const ip = v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
    const text = ip.kind() === 'ipv4' ? ip.toString() : (ip as ipaddr.IPv6).toRFC5952String();
    return ip.range().length + text.length;
  },
  BECH32: (a) => {
    const dec = bech32.decodeUnsafe(a, 90) ?? bech32m.decodeUnsafe(a, 90);
    if (!dec || dec.prefix !== 'bc' || dec.words.length < 1) return 0;
    const program = bech32.fromWordsUnsafe(dec.words.slice(1));
    return (program?.length ?? 0) + (bech32.decodeUnsafe(a, 90) ? 1 : 0);
  },
  BASE58CHECK: (a, b) => {
    if (b === 'btc') return bs58check.decodeUnsafe(a)?.length ?? 0;
    const raw = XRP.decodeUnsafe(a);
    if (!raw || raw.length < 5) return 0;
    return sha256(sha256(raw.subarray(0, raw.length - 4)))[0];
  },
  KECCAK: (a) => keccak_256(a)[0],
};

export interface Floor {
  /** best-of-3 CPU ms of all library calls extraction makes, and of the scanner alone */
  libCpu: number;
  scanCpu: number;
  /** the calls, by kind: how many and their CPU ms */
  calls: string;
}

/**
 * The library calls extractIdentifiers makes on `texts` (one call per text), recorded in one untimed run that
 * starts after `before()` (benchmarks clear the memo there, so that the calls are those of a timed run), then
 * made again alone, best of 3 per kind of call, in the order they were made; and the scanner alone.
 */
export function libraryFloor(texts: string[], before: () => void): Floor {
  const calls = new Map<LibCall, [string, string][]>();
  before();
  libTrace.on = (call, a, b = '') => {
    let list = calls.get(call);
    if (!list) calls.set(call, (list = []));
    list.push([a, b]);
  };
  try {
    for (const t of texts) extractIdentifiers(t);
  } finally {
    libTrace.on = undefined;
  }
  let libCpu = 0;
  const parts: string[] = [];
  for (const [call, list] of [...calls].sort((p, q) => (p[0] < q[0] ? -1 : 1))) {
    const f = REPLAY[call];
    const { cpu } = best(() => {
      let sink = 0;
      for (const [a, b] of list) sink += f(a, b);
      return sink;
    });
    libCpu += cpu;
    parts.push(`${call} ${list.length}× ${cpu.toFixed(0)} ms`);
  }
  const scan = best(() => {
    let n = 0;
    for (const t of texts) {
      const scanner = new Scanner(t);
      let from = 0;
      while (scanner.next(from) !== Tok.NONE) {
        from = scanner.end;
        n++;
      }
    }
    return n;
  });
  return { libCpu, scanCpu: scan.cpu, calls: parts.join(', ') };
}
