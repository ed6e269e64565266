/**
 * normalizeIdentifier: one entry point for every kind, used for identifiers a reporter typed in, importers'
 * fields and lookups. Never throws. With the kind omitted, the kind is detected (see {@link detectKind}).
 */
import {
  MAX_INPUT_LENGTH,
  isIdentifierKind,
  reject,
  type IdentifierKind,
  type NormalizeOptions,
  type NormalizeResult,
} from './kinds';
import { fold, hasControlChars } from './text';
import { DEFAULT_REGION } from './phone';
import { normalizeBankAccount, isCardNumber } from './bank';
import { deobfuscateDots } from './url';
// the remembered normalisers extraction uses too: a number typed in and written again in the narrative of the
// same report (the usual case) is parsed once
import { normalizeDomain, normalizeEmail, normalizePhone, normalizeUrl } from './remembered';
import { normalizeIp } from './ip';
import { normalizeWalletOfCoin } from './crypto-wallet';
import { normalizeQqId, normalizeWechatId } from './im';
import { normalizeApp } from './app';
import { normalizePaymentAccount } from './payment';
import { isCnResidentId } from './resident-id';
import { recall } from './memo';

function byKind(kind: IdentifierKind, value: string, opts: NormalizeOptions): NormalizeResult {
  const region = opts.defaultRegion ?? DEFAULT_REGION;
  switch (kind) {
    case 'PHONE':
      return normalizePhone(value, region);
    case 'BANK_ACCOUNT':
      return normalizeBankAccount(value, opts.bic);
    case 'PAYMENT_ACCOUNT':
      return normalizePaymentAccount(value, region);
    case 'URL':
      return normalizeUrl(value);
    case 'DOMAIN':
      return normalizeDomain(value);
    case 'WECHAT_ID':
      return normalizeWechatId(value, region);
    case 'QQ_ID':
      return normalizeQqId(value);
    case 'EMAIL':
      return normalizeEmail(value);
    case 'CRYPTO_WALLET':
      return normalizeWalletOfCoin(value, opts.coin);
    case 'IP':
      return normalizeIp(value);
    case 'APP':
      return normalizeApp(value);
  }
}

/** Shapes of the wallets crypto-wallet.ts and wallet-chains.ts check (the check itself decides). */
const B58 = '[1-9A-HJ-NP-Za-km-z]';
const WALLET_SHAPE = new RegExp(
  `^(?:${[
    '0x[0-9a-fA-F]{40}',
    '[bB][cC]1[a-zA-Z0-9]{8,87}',
    `[13]${B58}{25,34}`,
    `[TANLMX7]${B58}{33}`,
    `r${B58}{24,34}`,
    `(?:t[13]|tz[123]|KT1)${B58}{33}`,
    '(?:ltc|LTC|bnb|BNB)1[a-zA-Z0-9]{8,87}',
    '(?:bitcoincash:)?(?:[qp][a-z0-9]{41}|[QP][A-Z0-9]{41})',
    'G[A-Z2-7]{55}',
    `[48]${B58}{94}(?:${B58}{11})?`,
    '[0-9a-fA-F]{76}',
  ].join('|')})$`,
);

/** Schemes of links that are not web pages (a typed `javascript:` link is refused as a URL, with its reason). */
const OTHER_SCHEME = /^(?:javascript|vbscript|data|file|ftp|ftps|sftp|blob|about|chrome|ws|wss|intent|smb):/i;

/**
 * Kind detection for values typed without a kind, in this order: URL (scheme or host with a path), EMAIL, IP,
 * CRYPTO_WALLET (the shapes of {@link WALLET_SHAPE}), digits (resident ID → PERSONAL_DATA; a valid phone → PHONE;
 * a Luhn-valid 13–19 digit card → BANK_ACCOUNT; other 10–30 digit strings → BANK_ACCOUNT account number),
 * package names (com.x.y → APP), bare domains → DOMAIN, `wxid_…` and WeChat-ID-shaped words with a digit, '_' or
 * '-' → WECHAT_ID. QQ_ID, PAYMENT_ACCOUNT and app display names are never guessed: a word of letters only or a
 * bare 5–9 digit number is AMBIGUOUS (the kind must be given).
 */
export function detectKind(
  value: string,
  opts: NormalizeOptions = {},
): IdentifierKind | 'PERSONAL_DATA' | 'AMBIGUOUS' | undefined {
  const s = fold(value).trim();
  if (!s) return undefined;
  if (/^https?:\/\//i.test(s) || /^(?:www\.)?[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?\/\S*$/i.test(s)) return 'URL';
  // a link of another scheme (javascript:, data:, ftp: ...) is a URL the URL rules refuse, with that reason
  if (OTHER_SCHEME.test(s)) return 'URL';
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)) return 'EMAIL';
  if (normalizeIp(s).ok || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(s)) return 'IP';
  if (WALLET_SHAPE.test(s) && !/^\d+$/.test(s)) return 'CRYPTO_WALLET';
  const compact = s.replace(/[\s\-.()]/g, '');
  if (/^\+?\d+[Xx]?$/.test(compact)) {
    if (isCnResidentId(compact)) return 'PERSONAL_DATA';
    if (/[Xx]$/.test(compact)) return undefined;
    // "(315) 232-8257": written as a phone, so refused as a phone (with its reason) when it is none
    if (/^\(\s*[2-9]\d{2}\s*\)/.test(s)) return 'PHONE';
    if (normalizePhone(s, opts.defaultRegion ?? DEFAULT_REGION).ok) return 'PHONE';
    const digits = compact.replace(/^\+/, '');
    if (isCardNumber(digits) || (digits.length >= 10 && digits.length <= 30)) return 'BANK_ACCOUNT';
    return /^\d{5,9}$/.test(compact) ? 'AMBIGUOUS' : undefined;
  }
  if (/^(?:com|cn|net|org|io|me|tv|top|app|tech|xyz)\.[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/i.test(s)) return 'APP';
  const d = deobfuscateDots(s);
  if (/^[^\s/@]+\.[^\s/@.]+$/.test(d) && normalizeDomain(d).ok) return 'DOMAIN';
  // WeChat's own ids (wxid_…), and WeChat-ID-shaped words with a digit, '_' or '-' (what people choose as one)
  if (/^wxid_[a-z0-9]{6,30}$/i.test(s) || /^[A-Za-z](?=[A-Za-z]*[-_0-9])[-_A-Za-z0-9]{5,19}$/.test(s)) {
    return 'WECHAT_ID';
  }
  // a word of letters or a short bare number: a WeChat ID, an app name, a QQ number ... the kind must be given
  if (/^[A-Za-z]{2,20}$/.test(s)) return 'AMBIGUOUS';
  return undefined;
}

function normalizeUnsafe(
  input: { kind?: IdentifierKind | null; value: string },
  opts: NormalizeOptions,
): NormalizeResult {
  const value: unknown = input?.value;
  if (typeof value !== 'string') return reject('EMPTY', 'no value');
  if (value.length > MAX_INPUT_LENGTH) return reject('TOO_LONG', `longer than ${MAX_INPUT_LENGTH} characters`);
  if (hasControlChars(value)) return reject('INVALID_CHARACTER', 'control characters (NUL ...) in value');
  if (!value.trim()) return reject('EMPTY', 'empty value');
  let kind = input.kind ?? undefined;
  if (kind !== undefined && !isIdentifierKind(kind))
    return reject('UNSUPPORTED_KIND', `unknown kind ${String(kind).slice(0, 32)}`);
  if (kind === undefined) {
    const detected = detectKind(value, opts);
    if (detected === 'PERSONAL_DATA')
      return reject('PERSONAL_DATA', 'a resident ID number is personal data, not an identifier');
    if (detected === 'AMBIGUOUS') return reject('AMBIGUOUS', 'could be several kinds: give the kind');
    if (!detected) return reject('UNKNOWN_FORMAT', 'not a recognisable identifier');
    kind = detected;
  } else if (kind !== 'BANK_ACCOUNT') {
    const compact = fold(value).replace(/[\s-]/g, '');
    if (isCnResidentId(compact))
      return reject('PERSONAL_DATA', 'a resident ID number is personal data, not an identifier');
  }
  return byKind(kind, value, opts);
}

/**
 * The options as a memo key: every option set, by name, so that an option added to NormalizeOptions is part of
 * the key without more code; undefined when one is not a string or holds a NUL, the key's separator (not
 * remembered then).
 */
function optionsKey(opts: NormalizeOptions): string | undefined {
  let key = '';
  for (const name of Object.keys(opts).sort()) {
    const v: unknown = opts[name as keyof NormalizeOptions];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v.includes('\u0000')) return undefined;
    key += `\u0000${name}=${v}`;
  }
  return key;
}

/** Normalises one identifier (kind omitted ⇒ detected). Never throws. Results are remembered (memo.ts). */
export function normalizeIdentifier(
  input: { kind?: IdentifierKind | null; value: string },
  opts: NormalizeOptions = {},
): NormalizeResult {
  const value: unknown = input?.value;
  const kind: unknown = input?.kind ?? '';
  const o = opts ?? {};
  const options = typeof o === 'object' ? optionsKey(o) : undefined;
  if (
    typeof value !== 'string' ||
    value.length > MAX_INPUT_LENGTH ||
    (kind !== '' && !isIdentifierKind(kind)) ||
    options === undefined
  ) {
    return normalizeChecked(input, o);
  }
  return recall(`ID\u0000${kind}${options}\u0000\u0000${value}`, () => normalizeChecked(input, o));
}

function normalizeChecked(
  input: { kind?: IdentifierKind | null; value: string },
  opts: NormalizeOptions,
): NormalizeResult {
  try {
    const r = normalizeUnsafe(input, opts);
    if (r.ok) {
      for (const id of [r.identifier, ...r.derived]) {
        if (id.value.includes('\u0000') || id.value.startsWith('$') || id.value.length === 0) {
          return reject('INVALID_CHARACTER', 'canonical value would contain NUL or start with $');
        }
      }
    }
    return r;
  } catch (e) {
    return reject('UNKNOWN_FORMAT', `unparseable: ${e instanceof Error ? e.message.slice(0, 120) : 'error'}`);
  }
}
