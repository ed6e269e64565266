/**
 * URL and DOMAIN.
 * URL: WHATWG parsing (lower-case scheme and host, IDN → punycode, default port dropped), then: fragment dropped,
 * credentials dropped, tracking parameters dropped (see {@link isTrackingParam}), trailing slash dropped, and
 * `http` folded into `https` — the value is a linking key for "the same page", and reporters omit or vary the
 * scheme (the original scheme is kept in `attributes.scheme`). Path and query keep their case.
 * DOMAIN: the registrable domain (eTLD+1) under the public suffix list *including its private section*, so
 * `x.github.io` and `y.github.io` are different sites while `www.evil.com` and `login.evil.com` are one. A URL
 * whose host has none (`attributes.registrableDomain = false`) is kept without a DOMAIN.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseHost } from 'tldts';
import { accept, reject, type NormalizeResult, type NormalizedIdentifier } from './kinds';
import { fold, hasControlChars } from './text';
import { platformForDomain, platformForHost, type PlatformInfo } from './platform';
import { normalizeIp } from './ip';
import { libTrace } from './lib-trace';

/**
 * Query parameters dropped from URLs: analytics and share-tracking, never part of the page's identity.
 * - everywhere: utm_*, spm, scm, fbclid, gclid, dclid, gbraid, wbraid, msclkid, yclid, igshid, mc_cid, mc_eid,
 *   _hsenc, _hsmi, ref_src, share_source, share_medium, share_plat, share_from, share_tag, from, isappinstalled,
 *   tt_from, ttclid, xhsshare
 * - on mp.weixin.qq.com (article identity is __biz/mid/idx/sn): chksm, scene, subscene, sharer_*, clicktime,
 *   enterid, sessionid, ascene, devicetype, version, nettype, pass_ticket, wx_header, key, uin, exportkey, lang,
 *   abtest_cookie, realreporttime, poc_token
 * - on twitter.com / x.com: s, t
 */
const TRACKING = new Set([
  'spm',
  'scm',
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'ref_src',
  'share_source',
  'share_medium',
  'share_plat',
  'share_from',
  'share_tag',
  'from',
  'isappinstalled',
  'tt_from',
  'ttclid',
  'xhsshare',
]);
const WEIXIN_TRACKING = new Set([
  'chksm',
  'scene',
  'subscene',
  'clicktime',
  'enterid',
  'sessionid',
  'ascene',
  'devicetype',
  'version',
  'nettype',
  'pass_ticket',
  'wx_header',
  'key',
  'uin',
  'exportkey',
  'lang',
  'abtest_cookie',
  'realreporttime',
  'poc_token',
]);
const TWITTER_TRACKING = new Set(['s', 't']);

export function isTrackingParam(name: string, host: string): boolean {
  const k = name.toLowerCase();
  if (k.startsWith('utm_') || TRACKING.has(k)) return true;
  if (host === 'mp.weixin.qq.com' && (WEIXIN_TRACKING.has(k) || k.startsWith('sharer_'))) return true;
  if ((host === 'twitter.com' || host === 'x.com' || host.endsWith('.twitter.com')) && TWITTER_TRACKING.has(k)) {
    return true;
  }
  return false;
}

function safeDecode(s: string): string {
  // nothing to decode without a '%' or a '+'
  if (!s.includes('%') && !s.includes('+')) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function filterQuery(search: string, host: string): string {
  if (!search || search === '?') return '';
  if (keepsEveryParam(search, host)) return search;
  const kept = search
    .slice(1)
    .split('&')
    .filter((p) => p !== '' && !isTrackingParam(safeDecode(p.split('=')[0]), host));
  return kept.length ? `?${kept.join('&')}` : '';
}

/**
 * True when filterQuery would keep `search` as it is: no empty parameter and no tracking one. Reads the names in
 * place instead of splitting (the split-and-join of filterQuery then gives `search` back).
 */
function keepsEveryParam(search: string, host: string): boolean {
  const n = search.length;
  let from = 1;
  while (from <= n) {
    let end = search.indexOf('&', from);
    if (end < 0) end = n;
    if (end === from) return false;
    let eq = from;
    while (eq < end && search.charCodeAt(eq) !== 0x3d) eq++;
    const name = search.slice(from, eq);
    if (isTrackingParam(safeDecode(name), host)) return false;
    from = end + 1;
  }
  return true;
}

/** Obfuscated dots in written domains: 点 / 點 / [.] / (.) / [dot] / (dot). */
export function deobfuscateDots(s: string): string {
  // every spelling starts with 点, 點, '[' or '('
  if (!/[点點[(]/.test(s)) return s;
  return s.replace(/\s*(?:点|點|\[\.\]|\(\.\)|\[dot\]|\(dot\))\s*/gi, '.');
}

interface HostInfo {
  host: string;
  domain?: string;
  isIp: boolean;
}

/**
 * One pass over `host`: 'NOT_A_HOSTNAME' unless it matches `^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$` (two or more
 * non-empty labels of those characters), else 'BAD_LABEL' when a label is longer than 63 or starts or ends with
 * '-', else 'OK' (shortcuts.spec compares it with the regex and the label test).
 */
export function hostnameShape(host: string): 'OK' | 'NOT_A_HOSTNAME' | 'BAD_LABEL' {
  const n = host.length;
  let labels = 0;
  let bad = false;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? host.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (i === start) return 'NOT_A_HOSTNAME';
      if (i - start > 63 || host.charCodeAt(start) === 0x2d || host.charCodeAt(i - 1) === 0x2d) bad = true;
      labels++;
      start = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d)) {
      return 'NOT_A_HOSTNAME';
    }
  }
  if (labels < 2) return 'NOT_A_HOSTNAME';
  return bad ? 'BAD_LABEL' : 'OK';
}

/** Checks an ASCII (punycoded, lower-case) hostname against the public suffix list. */
function registrable(host: string): HostInfo | { error: NormalizeResult } {
  libTrace.on?.('TLDTS', host);
  const p = parseHost(host, { allowPrivateDomains: true, extractHostname: false });
  if (p.isIp) return { host, isIp: true };
  const shape = hostnameShape(host);
  if (shape === 'NOT_A_HOSTNAME' || host.length > 253) {
    return { error: reject('UNKNOWN_FORMAT', `not a hostname: ${host.slice(0, 64)}`) };
  }
  if (shape === 'BAD_LABEL') return { error: reject('UNKNOWN_FORMAT', `bad label in ${host.slice(0, 64)}`) };
  if (!p.isIcann && !p.isPrivate) return { error: reject('NOT_REGISTRABLE', `unknown public suffix in ${host}`) };
  if (!p.domain) return { error: reject('NOT_REGISTRABLE', `${host} is a public suffix`) };
  return { host, domain: p.domain, isIp: false };
}

/**
 * The Unicode form of a registrable domain. Only punycode labels (xn--) change: the other labels of a canonical
 * domain are lower-case ASCII, which IDNA ToUnicode maps to themselves (and a registrable domain never ends in a
 * number, the one ASCII case WHATWG rewrites).
 */
function displayDomain(domain: string): string {
  if (!domain.includes('xn--')) return domain;
  libTrace.on?.('DOMAIN_TO_UNICODE', domain);
  return domainToUnicode(domain) || domain;
}

function platformOf(domain: string, host: string): PlatformInfo | undefined {
  return platformForDomain(domain) ?? platformForHost(host);
}

function domainIdentifier(domain: string, host: string, plat = platformOf(domain, host)): NormalizedIdentifier {
  const attributes: Record<string, string | boolean> = {};
  if (host !== domain) attributes.host = host;
  if (plat) {
    attributes.platform = true;
    attributes.platformCategory = plat.category;
  }
  return { kind: 'DOMAIN', value: domain, display: displayDomain(domain), attributes };
}

/**
 * True for lower-case letters, digits and hyphens in dot-separated non-empty labels, without a punycode label and
 * not ending in a number (a last label of digits only, or 0x and hex digits, which WHATWG reads as IPv4): IDNA
 * ToASCII maps such a name to itself (shortcuts.spec checks this against domainToASCII).
 */
export function isPlainHostname(s: string): boolean {
  if (!PLAIN_HOSTNAME.test(s) || s.includes('xn--')) return false;
  const last = s.slice(s.lastIndexOf('.') + 1);
  return !/^(?:\d+|0x[0-9a-f]*)$/.test(last);
}
const PLAIN_HOSTNAME = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

export function normalizeDomain(raw: string): NormalizeResult {
  let s = deobfuscateDots(fold(raw).trim());
  if (!s) return reject('EMPTY', 'empty domain');
  if (/[/:@?#]/.test(s)) {
    // A URL or e-mail given as a domain: take its host.
    if (s.includes('@') && !s.includes('/')) s = s.slice(s.lastIndexOf('@') + 1);
    else {
      const u = parseUrl(s);
      if (!u) return reject('UNKNOWN_FORMAT', 'not a domain');
      s = u.hostname;
    }
  }
  if (s.endsWith('.')) s = s.replace(/\.+$/, '');
  if (/\s/.test(s)) return reject('UNKNOWN_FORMAT', 'whitespace in domain');
  const lower = s.toLowerCase();
  const ascii = isPlainHostname(lower) ? lower : toAscii(lower);
  if (!ascii) return reject('UNKNOWN_FORMAT', 'not a valid domain name');
  const r = registrable(ascii);
  if ('error' in r) return r.error;
  if (r.isIp) return reject('UNKNOWN_FORMAT', 'an IP address, not a domain');
  return accept(domainIdentifier(r.domain as string, r.host));
}

/** node:url's domainToASCII (IDNA ToASCII; '' when not a valid domain name). */
export function toAscii(domain: string): string {
  libTrace.on?.('DOMAIN_TO_ASCII', domain);
  return domainToASCII(domain);
}

function parseUrl(s: string): URL | undefined {
  libTrace.on?.('URL', s);
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

export function normalizeUrl(raw: string): NormalizeResult {
  const s = fold(raw).trim();
  if (!s) return reject('EMPTY', 'empty URL');
  if (hasControlChars(s)) return reject('INVALID_CHARACTER', 'control characters in URL');
  if (/\s/.test(s)) return reject('UNKNOWN_FORMAT', 'whitespace inside URL');
  let text = s;
  let schemeAssumed = false;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text) || /^[^:/]+:\d+(?:[/?#]|$)/.test(text)) {
    text = `http://${text.replace(/^\/\//, '')}`;
    schemeAssumed = true;
  }
  const u = parseUrl(text);
  if (!u) return reject('UNKNOWN_FORMAT', 'not a parseable URL');
  const protocol = u.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    return reject('UNSUPPORTED_SCHEME', `scheme ${protocol.slice(0, 20)} not supported`);
  }
  const hostname = u.hostname;
  const host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  const checked = registrable(host.startsWith('[') ? host.slice(1, -1) : host);
  // A host without a registrable domain (a retired or unknown TLD, a bare public suffix) still names a page that
  // was reported: the URL is kept (exact host and path, so identical URLs link) and no DOMAIN is derived.
  if ('error' in checked && (checked.error.ok || checked.error.reason !== 'NOT_REGISTRABLE')) return checked.error;
  const r: HostInfo = 'error' in checked ? { host, isIp: false } : checked;
  // the DOMAIN derived from the URL and the URL itself carry the same platform attributes
  const plat = r.isIp || !r.domain ? undefined : platformOf(r.domain, host);
  const derived: NormalizedIdentifier[] = [];
  if (r.isIp) {
    const ip = normalizeIp(host.replace(/^\[|\]$/g, ''));
    if (!ip.ok) return ip;
    derived.push(ip.identifier);
  } else if (r.domain) {
    derived.push(domainIdentifier(r.domain, host, plat));
  }
  const uPort = u.port;
  const port = uPort && !(protocol === 'http:' && uPort === '443') ? `:${uPort}` : '';
  const pathname = u.pathname;
  const path = pathname.endsWith('/') ? pathname.replace(/\/+$/, '') : pathname;
  const query = filterQuery(u.search, host);
  const value = `https://${host}${port}${path}${query}`;
  const attributes: Record<string, string | boolean> = { scheme: protocol.slice(0, -1), host };
  if (schemeAssumed) attributes.schemeAssumed = true;
  if (!r.isIp && !r.domain) attributes.registrableDomain = false;
  if (plat) {
    attributes.platform = true;
    attributes.platformCategory = plat.category;
  }
  return accept({ kind: 'URL', value, display: s.length > 300 ? `${s.slice(0, 297)}...` : s, attributes }, derived);
}
