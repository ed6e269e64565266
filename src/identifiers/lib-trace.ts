/**
 * An optional trace of the calls the normalisers make into the libraries identifiers are built on
 * (libphonenumber-js, WHATWG URL and IDNA from node:url, tldts, ipaddr.js, bech32, bs58check and base-x,
 * @noble/hashes). bench:extract sets {@link libTrace}.on for one untimed run to learn the library floor of
 * extraction: it then times the same library calls alone on the recorded inputs. Off (the default, and always in
 * production) a call site costs one property test.
 */

/**
 * What was called, with which arguments (`a`, `b`: the call's string arguments; libphonenumber-js is called through
 * its core functions with the full "max" metadata):
 * - PHONE_PARSE (text, region): parsePhoneNumberFromString(text, { defaultCountry: region, extract: false }), then
 *   isValid() and, when valid, number, country, formatInternational() and getType()
 * - PHONE_LENGTH (text, region): validatePhoneNumberLength(text, region)
 * - PHONE_SUPPORTED (region): isSupportedCountry(region); PHONE_CALLING_CODE (region): getCountryCallingCode
 * - URL (text): new URL(text), then protocol, hostname, port, pathname and search
 * - DOMAIN_TO_ASCII / DOMAIN_TO_UNICODE (text): node:url's domainToASCII / domainToUnicode
 * - TLDTS (host): tldts parse(host, { allowPrivateDomains: true, extractHostname: false })
 * - IPV4_VALID (text): ipaddr.IPv4.isValidFourPartDecimal
 * - IPV4 (text) / IPV6 (text): ipaddr.IPv4.parse / IPv6.parse, then what normalizeIp asks of the address
 * - BECH32 (text): bech32.decodeUnsafe, bech32m.decodeUnsafe when that fails, fromWordsUnsafe, and the v0 test
 * - BASE58CHECK (text, 'btc' or 'xrp'): bs58check.decodeUnsafe, or for 'xrp' base-x's decodeUnsafe in the Ripple
 *   alphabet and two SHA-256 of @noble/hashes
 * - KECCAK (40 lower-case hex): @noble/hashes's keccak_256
 */
export type LibCall =
  | 'PHONE_PARSE'
  | 'PHONE_LENGTH'
  | 'PHONE_SUPPORTED'
  | 'PHONE_CALLING_CODE'
  | 'URL'
  | 'DOMAIN_TO_ASCII'
  | 'DOMAIN_TO_UNICODE'
  | 'TLDTS'
  | 'IPV4_VALID'
  | 'IPV4'
  | 'IPV6'
  | 'BECH32'
  | 'BASE58CHECK'
  | 'KECCAK';

export const libTrace: { on?: (call: LibCall, a: string, b?: string) => void } = {};
