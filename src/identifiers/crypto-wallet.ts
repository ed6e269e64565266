/**
 * CRYPTO_WALLET: ETH (and every EVM chain: same address space), BTC (base58check P2PKH/P2SH, bech32/bech32m
 * segwit), TRON (base58check, version 0x41 — USDT-TRC20 is the main laundering rail) and XRP (base58check with
 * the Ripple alphabet) here, the other chains in wallet-chains.ts. Base58check with bs58check (base-x and @noble/hashes's SHA-256 for the Ripple alphabet, which
 * bs58check does not take); bech32 with the bech32 package; EIP-55 with @noble/hashes's keccak_256.
 * Canonical values: ETH lower-case `0x…` (display in EIP-55 mixed case; mixed-case input must pass EIP-55);
 * bech32 lower-case (the encoding is case-insensitive); base58 addresses keep their case (it is significant).
 */
import basex from 'base-x';
import { bech32, bech32m } from 'bech32';
import bs58check from 'bs58check';
import { sha256 } from '@noble/hashes/sha2';
import { keccak_256 } from '@noble/hashes/sha3';
import { accept, reject, type NormalizeResult } from './kinds';
import { fold } from './text';
import { libTrace } from './lib-trace';
import { chainOfCoin, eosAccount, opaqueWallet, otherChainWallet } from './wallet-chains';

const XRP_BASE58 = basex('rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz');

/** EIP-55 mixed-case checksum form of a lower-case 40-hex address (without 0x). */
export function toEip55(hex40: string): string {
  return computeEip55(hex40.toLowerCase());
}

function computeEip55(lower: string): string {
  libTrace.on?.('KECCAK', lower);
  const hash = keccak_256(lower);
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const c = lower[i];
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += c >= 'a' && c <= 'f' && nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

function wallet(value: string, display: string, attributes: Record<string, string | boolean>) {
  return accept({ kind: 'CRYPTO_WALLET', value, display, attributes });
}

function eth(s: string): NormalizeResult {
  const hex = s.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(hex)) return reject('UNKNOWN_FORMAT', 'non-hex characters in 0x address');
  if (hex.length < 40) return reject('TOO_SHORT', `${hex.length} hex digits, 40 expected`);
  if (hex.length > 40) return reject('TOO_LONG', `${hex.length} hex digits, 40 expected`);
  const mixed = /[a-f]/.test(hex) && /[A-F]/.test(hex);
  const lower = hex.toLowerCase();
  const checksummed = computeEip55(lower);
  if (mixed && checksummed !== `0x${hex}`) return reject('BAD_CHECKSUM', 'EIP-55 checksum mismatch');
  return wallet(`0x${lower}`, checksummed, { chain: 'ETH', eip55Checked: mixed });
}

/**
 * Base58check: payload and 4 bytes of SHA-256(SHA-256(payload)). Callers pass at least 25 characters of the
 * base58 character set (the same 58 characters in both alphabets), so bs58check refuses only a bad checksum.
 */
function base58Check(s: string, alphabet: 'btc' | 'xrp'): Uint8Array | 'BAD_CHAR' | 'BAD_CHECKSUM' {
  libTrace.on?.('BASE58CHECK', s, alphabet);
  if (alphabet === 'btc') return bs58check.decodeUnsafe(s) ?? 'BAD_CHECKSUM';
  const raw = XRP_BASE58.decodeUnsafe(s);
  if (!raw) return 'BAD_CHAR';
  if (raw.length < 5) return 'BAD_CHECKSUM';
  const payload = raw.subarray(0, raw.length - 4);
  const check = sha256(sha256(payload));
  for (let i = 0; i < 4; i++) if (check[i] !== raw[raw.length - 4 + i]) return 'BAD_CHECKSUM';
  return payload;
}

function segwit(s: string): NormalizeResult {
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) return reject('UNKNOWN_FORMAT', 'mixed-case bech32');
  libTrace.on?.('BECH32', lower);
  const dec = bech32.decodeUnsafe(lower, 90) ?? bech32m.decodeUnsafe(lower, 90);
  if (!dec) {
    return /^bc1[ac-hj-np-z02-9]+$/.test(lower)
      ? reject('BAD_CHECKSUM', 'bech32 checksum mismatch')
      : reject('UNKNOWN_FORMAT', 'invalid bech32 characters');
  }
  if (dec.prefix !== 'bc' || dec.words.length < 1) return reject('UNKNOWN_FORMAT', 'not a bitcoin segwit address');
  const version = dec.words[0];
  const program = bech32.fromWordsUnsafe(dec.words.slice(1));
  if (!program || program.length < 2 || program.length > 40 || version > 16) {
    return reject('UNKNOWN_FORMAT', 'bad witness program');
  }
  const isV0 = bech32.decodeUnsafe(lower, 90) !== undefined;
  if ((version === 0) !== isV0) return reject('BAD_CHECKSUM', 'bech32 / bech32m variant does not match version');
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return reject('UNKNOWN_FORMAT', 'bad v0 witness program length');
  }
  return wallet(lower, lower, { chain: 'BTC', format: version === 0 ? 'bech32' : 'bech32m' });
}

export function normalizeCryptoWallet(raw: string): NormalizeResult {
  const trimmed = fold(raw).trim();
  // a URI scheme needs a ':'
  const s = trimmed.includes(':') ? trimmed.replace(/^(?:ethereum|bitcoin|tron|ripple):/i, '') : trimmed;
  if (!s) return reject('EMPTY', 'empty wallet address');
  if (s.length > 120) return reject('TOO_LONG', 'longer than any supported address');
  if (/^0x/i.test(s)) return eth(s);
  if (/^bc1/i.test(s)) return segwit(s);
  if (/^[13T][1-9A-HJ-NP-Za-km-z]+$/.test(s)) {
    const isTron = s[0] === 'T';
    if (s.length < 26) return reject('TOO_SHORT', `${s.length} characters`);
    if (s.length > (isTron ? 34 : 35)) return reject('TOO_LONG', `${s.length} characters`);
    const payload = base58Check(s, 'btc');
    if (payload === 'BAD_CHAR') return reject('UNKNOWN_FORMAT', 'invalid base58');
    if (payload === 'BAD_CHECKSUM') return reject('BAD_CHECKSUM', 'base58check checksum mismatch');
    if (payload.length !== 21) return reject('UNKNOWN_FORMAT', `payload of ${payload.length} bytes`);
    const v = payload[0];
    if (isTron && v === 0x41) return wallet(s, s, { chain: 'TRON' });
    if (!isTron && v === 0x00) return wallet(s, s, { chain: 'BTC', format: 'p2pkh' });
    if (!isTron && v === 0x05) return wallet(s, s, { chain: 'BTC', format: 'p2sh' });
    return reject('UNKNOWN_FORMAT', `unexpected version byte ${v}`);
  }
  if (/^r[1-9A-HJ-NP-Za-km-z]+$/.test(s)) {
    if (s.length < 25) return reject('TOO_SHORT', `${s.length} characters`);
    if (s.length > 35) return reject('TOO_LONG', `${s.length} characters`);
    const payload = base58Check(s, 'xrp');
    if (payload === 'BAD_CHAR') return reject('UNKNOWN_FORMAT', 'invalid base58');
    if (payload === 'BAD_CHECKSUM') return reject('BAD_CHECKSUM', 'base58check checksum mismatch');
    if (payload.length !== 21 || payload[0] !== 0x00) return reject('UNKNOWN_FORMAT', 'not an XRP account address');
    return wallet(s, s, { chain: 'XRP' });
  }
  return otherChainWallet(s) ?? reject('UNKNOWN_FORMAT', 'not an address of a supported chain');
}

/** Chains validated by a check of this module or of wallet-chains.ts (a coin outside them is kept opaque). */
const VALIDATED_CHAINS = new Set([
  'ETH',
  'ETC',
  'BTC',
  'TRON',
  'XRP',
  'NEO',
  'LTC',
  'DASH',
  'ZEC',
  'XTZ',
  'BNB',
  'BCH',
  'XLM',
  'XMR',
  'SIA',
  'EOS',
]);

/**
 * A wallet a source gives for a named coin (EtherScamDB's `coin`): an EOS account name is told from a word only
 * by the coin; an address no check recognises (UNKNOWN_FORMAT — not a bad checksum, not a 32-byte hash) is kept
 * as an opaque value rather than dropped (wallet-chains.ts, opaqueWallet).
 */
export function normalizeWalletOfCoin(raw: string, coin: string | undefined): NormalizeResult {
  const chain = chainOfCoin(coin);
  if (!chain) return normalizeCryptoWallet(raw);
  const s = fold(raw).trim();
  if (chain === 'EOS' && eosAccount(s).ok) return eosAccount(s);
  const r = normalizeCryptoWallet(raw);
  if (r.ok || r.reason !== 'UNKNOWN_FORMAT') return r;
  return opaqueWallet(s, VALIDATED_CHAINS.has(chain) ? 'UNKNOWN' : chain, chain);
}
