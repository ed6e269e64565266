/**
 * The normalisers extraction asks most often and whose answers cost most, remembered in the identifier memo
 * (memo.ts) under their name and every argument.
 */
import { type NormalizeResult } from './kinds';
import { keep, remembered } from './memo';
import { DEFAULT_REGION, normalizePhone as phone } from './phone';
import { normalizeDomain as domain, normalizeUrl as url } from './url';
import { normalizeEmail as email } from './email';
import { normalizeCryptoWallet as wallet } from './crypto-wallet';

/** `normalize`, remembered under its `name` and its one argument. */
function rememberedBy(name: string, normalize: (raw: string) => NormalizeResult): (raw: string) => NormalizeResult {
  const prefix = `${name}\u0000`;
  return (raw) => {
    const key = prefix + raw;
    return remembered(key) ?? keep(key, normalize(raw));
  };
}

/**
 * `withReason` only changes how an invalid number is refused (phone.ts), so a valid number is remembered once,
 * under the key of the call with reasons, and serves the calls without (extraction's) as well.
 */
export function normalizePhone(raw: string, region: string = DEFAULT_REGION, withReason = true): NormalizeResult {
  // a NUL in the region could make its key another call's (and no region holds one)
  if (region.includes('\u0000')) return phone(raw, region, withReason);
  const withReasonKey = `PHONE\u0000${region}\u0000r\u0000${raw}`;
  if (withReason) return remembered(withReasonKey) ?? keep(withReasonKey, phone(raw, region, true));
  const shared = remembered(withReasonKey);
  if (shared?.ok) return shared;
  // a refusal without its reason is remembered apart: the call with reasons must still learn the reason
  const key = `PHONE\u0000${region}\u0000\u0000${raw}`;
  const known = remembered(key);
  if (known) return known;
  const r = phone(raw, region, false);
  return keep(r.ok ? withReasonKey : key, r);
}
export const normalizeUrl = rememberedBy('URL', url);
export const normalizeDomain = rememberedBy('DOMAIN', domain);
export const normalizeEmail = rememberedBy('EMAIL', email);
export const normalizeCryptoWallet = rememberedBy('CRYPTO_WALLET', wallet);
