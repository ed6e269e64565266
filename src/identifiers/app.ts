/**
 * APP: an Android/iOS package or bundle name (`com.xxx.yyy`, lower-cased, `attributes.packageName = true`) or an
 * app's display name (NFKC, whitespace collapsed, ASCII lower-cased, surrounding quotes/brackets removed and a
 * trailing "APP"/"软件"/"客户端" dropped, so `“XX理财”APP` and `xx理财` are one value).
 */
import { accept, reject, type NormalizeResult } from './kinds';
import { fold } from './text';

const PACKAGE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;

export function normalizeApp(raw: string): NormalizeResult {
  let s = fold(raw).trim().replace(/\s+/g, ' ');
  s = s.replace(/^["'《<[(]+|["'》>\])]+$/g, '').trim();
  if (!s) return reject('EMPTY', 'empty app name');
  const lower = s.toLowerCase();
  if (PACKAGE.test(lower) && lower.length <= 150) {
    return accept({ kind: 'APP', value: lower, display: s, attributes: { packageName: true } });
  }
  let name = lower.replace(/\s*(?:app|软件|客户端|应用)$/i, '').trim();
  if (!name) name = lower;
  name = name.replace(/^["'《<[(]+|["'》>\])]+$/g, '').trim();
  if (!/[\p{L}]/u.test(name)) return reject('UNKNOWN_FORMAT', 'an app name needs letters');
  if (name.startsWith('$')) return reject('INVALID_CHARACTER', "an app name may not start with '$'");
  if ([...name].length < 2) return reject('TOO_SHORT', 'app name shorter than 2 characters');
  if ([...name].length > 64) return reject('TOO_LONG', 'app name longer than 64 characters');
  return accept({ kind: 'APP', value: name, display: s, attributes: { packageName: false } });
}
