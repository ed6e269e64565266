/**
 * What a receipt or an import summary says about an identifier that was kept in a weaker form than usual: a URL
 * whose host has no registrable domain (kept without a DOMAIN), a wallet of a coin no check knows (kept as
 * written, not validated). In Chinese first, then English: the public is Chinese-speaking first.
 */
import type { NormalizedIdentifier } from './kinds';

export type IdentifierNotice = 'URL_WITHOUT_DOMAIN' | 'WALLET_NOT_VALIDATED';

export const NOTICE_TEXT: Record<IdentifierNotice, { zh: string; en: string }> = {
  URL_WITHOUT_DOMAIN: {
    zh: '该网址的主机在当前公共后缀列表中没有可注册域名（如已停用或未知的顶级域）：网址已保留，可与相同网址关联，但不派生域名',
    en: "its host has no registrable domain under today's public suffix list (a retired or unknown TLD): the URL is kept and links identical URLs, but no DOMAIN is derived",
  },
  WALLET_NOT_VALIDATED: {
    zh: '该钱包地址的币种无法校验：地址按原样保留，可与相同地址关联',
    en: 'no check knows the format of this coin: the address is kept as written and links identical addresses',
  },
};

export function noticeOf(id: NormalizedIdentifier): IdentifierNotice | undefined {
  if (id.kind === 'URL' && id.attributes?.registrableDomain === false) return 'URL_WITHOUT_DOMAIN';
  if (id.kind === 'CRYPTO_WALLET' && id.attributes?.validated === false) return 'WALLET_NOT_VALIDATED';
  return undefined;
}

/** The warning line for `id`, or undefined when nothing needs saying. */
export function noticeWarning(id: NormalizedIdentifier): string | undefined {
  const n = noticeOf(id);
  if (!n) return undefined;
  const display = id.display.length > 120 ? `${id.display.slice(0, 117)}...` : id.display;
  return `${display}: ${NOTICE_TEXT[n].zh} / ${NOTICE_TEXT[n].en}`;
}
