/**
 * CRYPTO_WALLET beyond ETH/BTC/TRON/XRP (crypto-wallet.ts): every coin EtherScamDB names in its `coin` field
 * (NEO, XLM, LTC, EOS, BCH, XMR, XTZ, SIA, ETC, AXB) and the other chains whose addresses its records carry
 * (DASH, ZEC, BNB). Each is validated by its library or its documented check:
 * - base58check (bs58check) with the chain's version bytes: NEO (0x17 legacy `A…`, 0x35 N3 `N…`), LTC (0x30 `L…`,
 *   0x32 `M…`), DASH (0x4c `X…`, 0x10 `7…`), ZEC (0x1cb8 `t1…`, 0x1cbd `t3…`), XTZ (tz1/tz2/tz3/KT1 prefixes);
 * - bech32 (bech32): LTC `ltc1…` segwit, BNB Beacon `bnb1…`;
 * - cashaddr (cashaddrjs): BCH `bitcoincash:q…/p…`, the prefix optional as people write it;
 * - stellar strkey (@stellar/stellar-base): XLM `G…` account ids;
 * - Monero's block base58 with its Keccak-256 checksum (@noble/hashes): XMR `4…`/`8…` (95 characters);
 * - Sia: 32-byte unlock hash + first 6 bytes of its BLAKE2b-256 (@noble/hashes), 76 hex digits;
 * - EOS account names (1–12 of a–z, 1–5, '.'; not ending in '.'): only when the source says the coin is EOS,
 *   since such a name is also an ordinary word.
 * ETC addresses are ETH addresses (crypto-wallet.ts). Canonical values keep the case of case-sensitive encodings
 * (base58) and fold the others (cashaddr and hex lower-case, strkey upper-case).
 * A wallet a source explicitly gives, of a coin no check here knows (AXB, Cardano's `Ae2…` …), is kept as an
 * opaque value (see {@link opaqueWallet}), so that the reports naming it still link.
 */
import { bech32 } from 'bech32';
import bs58check from 'bs58check';
import cashaddr from 'cashaddrjs';
import { StrKey } from '@stellar/stellar-base/lib/strkey';
import { blake2b } from '@noble/hashes/blake2b';
import { keccak_256 } from '@noble/hashes/sha3';
import { accept, reject, type NormalizeResult } from './kinds';

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_RUN = /^[1-9A-HJ-NP-Za-km-z]+$/;

function wallet(value: string, chain: string, attributes: Record<string, string | boolean> = {}): NormalizeResult {
  return accept({ kind: 'CRYPTO_WALLET', value, display: value, attributes: { chain, ...attributes } });
}

/** base58check version prefixes of 20-byte hashes: prefix bytes → chain. */
const BASE58_VERSIONS: { prefix: number[]; chain: string; format?: string }[] = [
  { prefix: [0x17], chain: 'NEO', format: 'legacy' },
  { prefix: [0x35], chain: 'NEO', format: 'n3' },
  { prefix: [0x30], chain: 'LTC', format: 'p2pkh' },
  { prefix: [0x32], chain: 'LTC', format: 'p2sh' },
  { prefix: [0x4c], chain: 'DASH', format: 'p2pkh' },
  { prefix: [0x10], chain: 'DASH', format: 'p2sh' },
  { prefix: [0x1c, 0xb8], chain: 'ZEC', format: 't1' },
  { prefix: [0x1c, 0xbd], chain: 'ZEC', format: 't3' },
  { prefix: [0x06, 0xa1, 0x9f], chain: 'XTZ', format: 'tz1' },
  { prefix: [0x06, 0xa1, 0xa1], chain: 'XTZ', format: 'tz2' },
  { prefix: [0x06, 0xa1, 0xa4], chain: 'XTZ', format: 'tz3' },
  { prefix: [0x02, 0x5a, 0x79], chain: 'XTZ', format: 'KT1' },
];
/** first characters those versions encode to: a bad checksum there is a mistyped address, not another format */
const BASE58_FIRST = /^(?:[ANLMX7]|t[13]|tz[123]|KT1)/;

function base58Versioned(s: string): NormalizeResult | undefined {
  if (s.length < 26 || s.length > 36 || !B58_RUN.test(s)) return undefined;
  const payload = bs58check.decodeUnsafe(s);
  if (!payload) return BASE58_FIRST.test(s) ? reject('BAD_CHECKSUM', 'base58check checksum mismatch') : undefined;
  for (const v of BASE58_VERSIONS) {
    if (payload.length === v.prefix.length + 20 && v.prefix.every((b, i) => payload[i] === b)) {
      return wallet(s, v.chain, v.format ? { format: v.format } : {});
    }
  }
  return undefined;
}

function bech32Chain(s: string): NormalizeResult | undefined {
  const lower = s.toLowerCase();
  const prefix = lower.startsWith('ltc1') ? 'ltc' : lower.startsWith('bnb1') ? 'bnb' : undefined;
  // bech32 is never mixed-case, so a mixed-case string is left to the other formats: "LTc1…" is a base58
  // litecoin address (version 0x30) as often as 1 in 58·58 of them
  if (!prefix || (s !== lower && s !== s.toUpperCase())) return undefined;
  const dec = bech32.decodeUnsafe(lower, 90);
  if (!dec || dec.prefix !== prefix) return reject('BAD_CHECKSUM', 'bech32 checksum mismatch');
  if (prefix === 'bnb') {
    const program = bech32.fromWordsUnsafe(dec.words);
    if (program?.length !== 20) return reject('UNKNOWN_FORMAT', 'not a 20-byte BNB address');
    return wallet(lower, 'BNB');
  }
  // LTC segwit v0: witness version 0, then a 20- or 32-byte program
  const program = bech32.fromWordsUnsafe(dec.words.slice(1));
  if (dec.words[0] !== 0 || (program?.length !== 20 && program?.length !== 32)) {
    return reject('UNKNOWN_FORMAT', 'not a litecoin segwit v0 address');
  }
  return wallet(lower, 'LTC', { format: 'bech32' });
}

function bitcoinCash(s: string): NormalizeResult | undefined {
  const lower = s.toLowerCase();
  const m = /^(?:bitcoincash:)?([qp][02-9ac-hj-np-z]{41})$/.exec(lower);
  if (!m) return undefined;
  const payload = s.slice(-42);
  if (payload !== m[1] && payload !== m[1].toUpperCase()) return reject('UNKNOWN_FORMAT', 'mixed-case cashaddr');
  try {
    const dec = cashaddr.decode(`bitcoincash:${m[1]}`);
    return wallet(m[1], 'BCH', { format: dec.type === 'P2SH' ? 'p2sh' : 'p2pkh' });
  } catch {
    return reject('BAD_CHECKSUM', 'cashaddr checksum mismatch');
  }
}

function stellar(s: string): NormalizeResult | undefined {
  const upper = s.toUpperCase();
  if (!/^G[A-Z2-7]{55}$/.test(upper)) return undefined;
  return StrKey.isValidEd25519PublicKey(upper)
    ? wallet(upper, 'XLM')
    : reject('BAD_CHECKSUM', 'stellar strkey checksum mismatch');
}

/**
 * Monero addresses: base58 in blocks of 8 bytes → 11 characters (a last short block of n bytes takes
 * MONERO_BLOCK_CHARS[n] characters); network byte, two 32-byte keys, 4 bytes of Keccak-256 over the rest.
 */
const MONERO_BLOCK_CHARS = [0, 2, 3, 5, 6, 7, 9, 10, 11];
const MONERO_NETWORKS: Record<number, string> = { 0x12: 'standard', 0x2a: 'subaddress', 0x13: 'integrated' };

function moneroDecode(s: string): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 11) {
    const block = s.slice(i, i + 11);
    const size = MONERO_BLOCK_CHARS.indexOf(block.length);
    if (size < 0) return undefined;
    let n = 0n;
    for (const ch of block) n = n * 58n + BigInt(B58.indexOf(ch));
    if (n >= 1n << BigInt(8 * size)) return undefined;
    for (let k = size - 1; k >= 0; k--) out.push(Number((n >> BigInt(8 * k)) & 0xffn));
  }
  return Uint8Array.from(out);
}

function monero(s: string): NormalizeResult | undefined {
  if (!/^[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?$/.test(s)) return undefined;
  const raw = moneroDecode(s);
  if (!raw) return reject('UNKNOWN_FORMAT', 'invalid monero base58');
  const body = raw.subarray(0, raw.length - 4);
  const check = keccak_256(body);
  for (let i = 0; i < 4; i++) if (check[i] !== raw[body.length + i]) return reject('BAD_CHECKSUM', 'monero checksum');
  const network = MONERO_NETWORKS[raw[0]];
  if (!network) return reject('UNKNOWN_FORMAT', `not a monero mainnet address (network byte ${raw[0]})`);
  return wallet(s, 'XMR', { format: network });
}

function sia(s: string): NormalizeResult | undefined {
  if (!/^[0-9a-fA-F]{76}$/.test(s)) return undefined;
  const lower = s.toLowerCase();
  const bytes = Uint8Array.from(lower.match(/../g) as string[], (h) => parseInt(h, 16));
  const check = blake2b(bytes.subarray(0, 32), { dkLen: 32 });
  for (let i = 0; i < 6; i++) if (check[i] !== bytes[32 + i]) return reject('BAD_CHECKSUM', 'sia checksum mismatch');
  return wallet(lower, 'SIA');
}

/** Antelope (EOS) account names: up to 12 characters of a–z, 1–5 and '.', not ending in '.'. */
export function eosAccount(s: string): NormalizeResult {
  return /^[a-z1-5.]{0,11}[a-z1-5]$/.test(s)
    ? wallet(s, 'EOS')
    : reject('UNKNOWN_FORMAT', 'not an EOS account name (1–12 of a–z, 1–5, .)');
}

/** The chains above, tried by shape; undefined when `s` has the shape of none of them. */
export function otherChainWallet(s: string): NormalizeResult | undefined {
  return bitcoinCash(s) ?? bech32Chain(s) ?? stellar(s) ?? monero(s) ?? sia(s) ?? base58Versioned(s);
}

/**
 * A wallet that a source explicitly gives for `statedCoin`, of a format no check knows: kept as written (trimmed,
 * case kept — it may be case-sensitive) so that the same address in two records links them, marked
 * `validated: false`; `chain` is the coin, or UNKNOWN when the coin is one whose check refused the address.
 * Only address-like strings (20 to 120 letters, digits, '_', '-', ':') qualify.
 */
export function opaqueWallet(s: string, chain: string, statedCoin: string): NormalizeResult {
  if (!/^[A-Za-z0-9_:-]{20,120}$/.test(s)) return reject('UNKNOWN_FORMAT', `not an address of coin ${statedCoin}`);
  return wallet(s, chain, { statedCoin, validated: false });
}

/** Coin names as sources write them → the chain attribute used here (TRX is the TRON chain). */
export function chainOfCoin(coin: string | undefined): string | undefined {
  if (!coin) return undefined;
  const c = coin.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,10}$/.test(c)) return undefined;
  return c === 'TRX' ? 'TRON' : c;
}
