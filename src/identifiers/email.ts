/**
 * EMAIL: `local@host`; the host is lower-cased and punycoded (case-insensitive by definition), the local part
 * keeps its case (RFC 5321 leaves it to the receiving system). A numeric local part at qq.com also yields the
 * QQ_ID it belongs to.
 */
import { parse as parseHost } from 'tldts';
import { accept, reject, type NormalizeResult, type NormalizedIdentifier } from './kinds';
import { fold } from './text';
import { libTrace } from './lib-trace';
import { isPlainHostname, toAscii } from './url';

const LOCAL = /^[A-Za-z0-9!#%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#%&'*+/=?^_`{|}~-]+)*$/;

export function normalizeEmail(raw: string): NormalizeResult {
  const s = fold(raw)
    .trim()
    .replace(/^mailto:/i, '');
  if (!s) return reject('EMPTY', 'empty e-mail address');
  const at = s.lastIndexOf('@');
  if (at < 0) return reject('UNKNOWN_FORMAT', 'no @');
  const local = s.slice(0, at);
  const hostRaw = s.slice(at + 1).replace(/\.$/, '');
  if (!local) return reject('UNKNOWN_FORMAT', 'empty local part');
  if (local.length > 64) return reject('TOO_LONG', 'local part longer than 64');
  if (!LOCAL.test(local)) return reject('UNKNOWN_FORMAT', 'invalid characters in local part');
  const hostLower = hostRaw.toLowerCase();
  // a plain LDH name is its own IDNA ASCII form (see isPlainHostname)
  const host = isPlainHostname(hostLower) ? hostLower : toAscii(hostLower);
  if (!host || !/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(host)) return reject('UNKNOWN_FORMAT', 'invalid mail domain');
  libTrace.on?.('TLDTS', host);
  const p = parseHost(host, { allowPrivateDomains: true, extractHostname: false });
  if (!p.domain || (!p.isIcann && !p.isPrivate)) return reject('NOT_REGISTRABLE', `no registrable domain in ${host}`);
  const value = `${local}@${host}`;
  const derived: NormalizedIdentifier[] = [];
  if (host === 'qq.com' && /^[1-9]\d{4,10}$/.test(local)) derived.push({ kind: 'QQ_ID', value: local, display: local });
  return accept({ kind: 'EMAIL', value, display: value }, derived);
}
