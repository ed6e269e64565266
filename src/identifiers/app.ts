/**
 * APP: an Android/iOS package or bundle name (`com.xxx.yyy`, lower-cased, `attributes.packageName = true`) or an
 * app's display name (NFKC, whitespace collapsed, ASCII lower-cased, surrounding quotes/brackets removed and
 * trailing "APP"/"软件"/"客户端"/"应用" dropped while a name is left, so `“XX理财”APP` and `xx理财` are one value).
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
  // trailing suffixes are dropped one after another while what is left is still a name (a letter, two
  // characters): so that normalising a normalised name gives it back (`13800138000APPAPP` → `13800138000app`,
  // which keeps its last "app": without it no letter is left)
  let name = lower;
  for (;;) {
    const next = name
      .replace(/\s*(?:app|软件|客户端|应用)$/i, '')
      .trim()
      .replace(/^["'《<[(]+|["'》>\])]+$/g, '')
      .trim();
    if (next === name || !/[\p{L}]/u.test(next) || [...next].length < 2) break;
    name = next;
  }
  if (!/[\p{L}]/u.test(name)) return reject('UNKNOWN_FORMAT', 'an app name needs letters');
  if (name.startsWith('$')) return reject('INVALID_CHARACTER', "an app name may not start with '$'");
  if ([...name].length < 2) return reject('TOO_SHORT', 'app name shorter than 2 characters');
  if ([...name].length > 64) return reject('TOO_LONG', 'app name longer than 64 characters');
  return accept({ kind: 'APP', value: name, display: s, attributes: { packageName: false } });
}
