/**
 * Platform hosts (versioned data file data/platform-domains.v1.json): hosts where anyone can publish — social
 * sites, blogs, free site hosting, form and paste services, URL shorteners, marketplaces. On such a host only the
 * full URL identifies a scam; the DOMAIN would merge unrelated scams, so it is warninglisted.
 *
 * Two cases, decided with the public suffix list (tldts, private section included):
 * - the host lies under an ordinary registrable domain (twitter.com, docs.google.com → google.com,
 *   mp.weixin.qq.com → qq.com): that registrable DOMAIN is warninglisted;
 * - the host is itself a public suffix of the private section (github.io, blogspot.com, netlify.app): every
 *   user site is its own registrable domain (x.github.io ≠ y.github.io), so nothing is warninglisted; the
 *   sites just carry `attributes.platform = true`.
 */
import { getDomain, getPublicSuffix } from 'tldts';
import platformData from './data/platform-domains.v1.json';

interface PlatformFile {
  version: string;
  description: string;
  hosts: { host: string; category: string; note: string; noteEn: string }[];
}

export interface PlatformInfo {
  host: string;
  category: string;
  note: string;
  noteEn: string;
  /** true when `host` is a private-section public suffix (per-user sites under it) */
  suffix: boolean;
  /** the registrable domain warninglisted for this host (undefined for suffix platforms) */
  domain?: string;
}

const file = platformData as PlatformFile;
export const PLATFORM_DOMAINS_VERSION: string = file.version;

const byHost = new Map<string, PlatformInfo>();
const byDomain = new Map<string, PlatformInfo>();
for (const h of file.hosts) {
  const host = h.host.toLowerCase();
  const suffix = getPublicSuffix(host, { allowPrivateDomains: true }) === host;
  const domain = suffix ? undefined : (getDomain(host, { allowPrivateDomains: true }) ?? undefined);
  const info: PlatformInfo = { host, category: h.category, note: h.note, noteEn: h.noteEn, suffix, domain };
  byHost.set(host, info);
  if (domain && !byDomain.has(domain)) byDomain.set(domain, info);
}

/** All platform entries (for tests and docs). */
export function platformEntries(): PlatformInfo[] {
  return [...byHost.values()];
}

/** The platform entry whose registrable domain is `domain` (a canonical DOMAIN value), if any. */
export function platformForDomain(domain: string): PlatformInfo | undefined {
  return byDomain.get(domain);
}

/** The platform entry covering `host` (the host itself or one of its parent domains), if any. */
export function platformForHost(host: string): PlatformInfo | undefined {
  let h = host;
  for (;;) {
    const hit = byHost.get(h);
    if (hit) return hit;
    const dot = h.indexOf('.');
    if (dot < 0) return undefined;
    h = h.slice(dot + 1);
  }
}
