/**
 * The candidate scanner of extractIdentifiers: the alternatives of {@link SCANNER_SOURCE}, and a tokenizer that
 * finds exactly the matches a global `new RegExp(SCANNER_SOURCE, 'g')` finds, with less work.
 *
 * A global regex finds, from its position on, the leftmost position where some alternative matches, and there
 * takes the first alternative (in source order) that matches. The tokenizer does the same, but
 * - skips, with one table lookup per character, every position whose character cannot start any alternative;
 * - at a position that can, tries only the alternatives that can start with that character, in source order, and
 *   skips an alternative when a necessary condition for it fails (for instance an e-mail needs an '@' right after
 *   the run of local-part characters, a domain needs a dot right after its first label);
 * - confirms each remaining alternative with that alternative's own regex, sticky at that position (so the match
 *   and its length are the regex's own), without building a match array; the word alternative, a plain run of
 *   word characters, is measured directly.
 * scanner.spec compares the tokenizer with the global regex on random, hostile and corpus text.
 */
const FWD = '\\uFF10-\\uFF19';
const FWL = '\\uFF21-\\uFF3A\\uFF41-\\uFF5A';
const AL = `A-Za-z0-9${FWD}${FWL}`;
const LET = `A-Za-z${FWL}`;
const DIG = `[0-9${FWD}]`;
/** characters that end a URL or a path in running text (whitespace, CJK, CJK and full-width punctuation) */
const URL_STOP =
  '\\x00-\\x1f\\x7f\\s<>"\'`{}|\\\\^\\u3000-\\u303F\\u4E00-\\u9FFF\\uFF01\\uFF08\\uFF09\\uFF0C\\uFF1B\\uFF1F\\u201C\\u201D\\u2018\\u2019';
const DOT = '(?:[.\\uFF0E\\u3002点點]|\\[\\.\\]|\\(\\.\\)|\\[dot\\]|\\(dot\\))';
const LABEL = `[${AL}][${AL}\\-\\uFF0D]{0,62}`;
const TLD = `[${LET}][${AL}\\-]{1,62}`;
const NUM_SEP = '[ \\u3000\\-\\uFF0D\\u2010-\\u2015.\\uFF0E()\\uFF08\\uFF09]';
const IM_KEYWORD =
  '微信|威信|薇信|维信|維信|[VvＶｖ]信|[Ww]ei[Xx]in|[Ww]e[Cc]hat|WECHAT|QQ|qq|Qq|ＱＱ|扣扣|企鹅|[VvWw][Xx]';
const QUOTE_OPEN = '[“"「《『]';
const QUOTE_CLOSE = '[”"」》』]';
const APP_WORD = 'APP|App|app|ＡＰＰ|软件|客户端';

/** The alternatives of the scanner, in priority order; {@link Tok} numbers them from 1. */
export const SCANNER_ALTERNATIVES: readonly string[] = [
  `((?:[Hh][Tt][Tt][Pp][Ss]?|[ｈＨ][ｔＴ][ｔＴ][ｐＰ][ｓＳ]?)[:：][/／]{2}[^${URL_STOP}]{1,2000})`,
  `([A-Za-z0-9._%+\\-]{1,64}[@＠][A-Za-z0-9\\-]{1,63}(?:\\.[A-Za-z0-9\\-]{1,63}){1,8})`,
  `((?:${IM_KEYWORD})(?:号码|号|账号|帐号|ID|id)?[\\s:：,，=是为號号码碼\\-]{0,5})([+＋]?[A-Za-z0-9_\\-${FWD}${FWL}]{5,30})`,
  `(0[xX][0-9a-fA-F]{40,64})`,
  `([bB][cC]1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87})`,
  `([13Tr][1-9A-HJ-NP-Za-km-z]{24,34})`,
  `(${LABEL}(?:${DOT}${LABEL}){0,8}${DOT}${TLD}(?::[0-9]{1,5})?(?:[/／][^${URL_STOP}]{0,1900})?)`,
  `(${DIG}{1,3}(?:[.．]${DIG}{1,3}){3}(?::[0-9]{1,5})?(?:[/／][^${URL_STOP}]{0,1900})?)`,
  `((?:[0-9A-Fa-f]{1,4})?(?::[0-9A-Fa-f]{0,4}){2,7})`,
  `([+＋]?[(（]?${DIG}(?:${NUM_SEP}{0,3}${DIG}){2,39}[XxＸｘ]?)`,
  `(?:${APP_WORD}|应用)(?:名称|名字|叫做|叫|是|为|[\\s:：]){0,3}${QUOTE_OPEN}([^”"」》』\\r\\n]{1,30})${QUOTE_CLOSE}`,
  `${QUOTE_OPEN}([^”"」》』\\r\\n]{1,30})${QUOTE_CLOSE}(?:的)?(?:${APP_WORD})`,
  // words are consumed whole so that no candidate starts inside one (cheaper than a lookbehind on every
  // alternative, which would defeat the regex engine's first-character scan)
  `[A-Za-z_${FWL}][A-Za-z0-9_${FWD}${FWL}]{0,200}`,
];

/** One regex, all alternatives: what the tokenizer is equivalent to (global, from position 0). */
export const SCANNER_SOURCE = SCANNER_ALTERNATIVES.join('|');

/** Token kinds: the 1-based index of the alternative that matched. */
export const Tok = {
  NONE: 0,
  URL: 1,
  EMAIL: 2,
  IM: 3,
  ETH: 4,
  BECH32: 5,
  BASE58: 6,
  DOMAIN: 7,
  IPV4: 8,
  IPV6: 9,
  NUMBER: 10,
  APP_A: 11,
  APP_B: 12,
  WORD: 13,
} as const;

/** Each alternative alone, sticky: tried at one position, with its own backtracking. */
const STICKY = SCANNER_ALTERNATIVES.map((a) => new RegExp(a, 'y'));

// ---- character classes (one table lookup per character) --------------------------------------------------------
const EMAILC = 1; // [A-Za-z0-9._%+\-]: the local part of an e-mail
const LABELC = 2; // [AL\-－]: a domain label after its first character
const ALC = 4; // [AL]: the first character of a domain label
const DIGC = 8; // [0-9０-９]
const HEXC = 16; // [0-9A-Fa-f]
const B58C = 32; // [1-9A-HJ-NP-Za-km-z]
const WORDC = 64; // [A-Za-z0-9_ FWD FWL]: the rest of a word
const WORD0 = 128; // [A-Za-z_ FWL]: the first character of a word
const CLS = new Uint8Array(65536);
/** characters that can start some alternative */
const START = new Uint8Array(65536);
/** characters that can follow the first one of an IM keyword / an APP word; starts of a DOT */
const IM_FIRST = new Uint8Array(65536);
const IM_SECOND = new Uint8Array(65536);
const APP_FIRST = new Uint8Array(65536);
const APP_SECOND = new Uint8Array(65536);
const DOT_FIRST = new Uint8Array(65536);
const QUOTE = new Uint8Array(65536);
const NUM_FIRST = new Uint8Array(65536);
const CLOSE_QUOTE = new Uint8Array(65536);
/** what ends a quoted app name: a closing quote or a line break */
const NAME_STOP = new Uint8Array(65536);
const NUM_SEPC = new Uint8Array(65536);
const NUM_X = new Uint8Array(65536);

function mark(table: Uint8Array, chars: string, bit = 1): void {
  for (const ch of chars) table[ch.charCodeAt(0)] |= bit;
}
function markRange(table: Uint8Array, from: number, to: number, bit: number): void {
  for (let c = from; c <= to; c++) table[c] |= bit;
}
const ASCII_DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
mark(CLS, `${ASCII_DIGITS}${UPPER}${LOWER}._%+-`, EMAILC);
for (const bit of [LABELC, ALC, WORDC]) {
  mark(CLS, `${ASCII_DIGITS}${UPPER}${LOWER}`, bit);
  markRange(CLS, 0xff10, 0xff19, bit);
  markRange(CLS, 0xff21, 0xff3a, bit);
  markRange(CLS, 0xff41, 0xff5a, bit);
}
mark(CLS, '-\uFF0D', LABELC);
mark(CLS, ASCII_DIGITS, DIGC);
markRange(CLS, 0xff10, 0xff19, DIGC);
mark(CLS, `${ASCII_DIGITS}ABCDEFabcdef`, HEXC);
mark(CLS, '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', B58C);
mark(CLS, '_', WORDC);
mark(CLS, `${UPPER}${LOWER}_`, WORD0);
markRange(CLS, 0xff21, 0xff3a, WORD0);
markRange(CLS, 0xff41, 0xff5a, WORD0);
mark(IM_FIRST, '微威薇维維VvＶｖWwQqＱ扣企');
mark(IM_SECOND, '信eEQqＱ扣鹅Xx');
mark(APP_FIRST, 'AaＡ软客应');
mark(APP_SECOND, 'PpＰ件户用');
mark(DOT_FIRST, '.\uFF0E\u3002点點[(');
mark(QUOTE, '“"「《『');
mark(CLOSE_QUOTE, '”"」》』');
mark(NAME_STOP, '”"」》』\r\n');
mark(NUM_FIRST, '+＋(（');
mark(NUM_SEPC, ' \u3000-\uFF0D\u2010\u2011\u2012\u2013\u2014\u2015.\uFF0E()\uFF08\uFF09');
mark(NUM_X, 'XxＸｘ');
for (let c = 0; c < 65536; c++) {
  // every alternative's possible first characters: URL [Hhｈｈ], e-mail, IM, ETH '0', bech32 [bB], base58 [13Tr],
  // domain [AL], IPv4 [DIG], IPv6 [hex:], number [DIG+＋(（], APP words, quotes, words
  if (
    CLS[c] !== 0 ||
    IM_FIRST[c] ||
    APP_FIRST[c] ||
    QUOTE[c] ||
    NUM_FIRST[c] ||
    c === 0x3a ||
    c === 0xff48 ||
    c === 0xff28
  ) {
    START[c] = 1;
  }
}

/**
 * The number alternative, `[+＋]?[(（]?DIG(?:NUM_SEP{0,3}DIG){2,39}[XxＸｘ]?`, measured directly: the optional
 * prefixes are taken when present (without them the digit could not follow), and since separators and digits are
 * disjoint each repetition matches in exactly one way — all of the (at most 3) separators before the next digit —
 * so the greedy match is the longest run of repetitions, at most 39, and then an X when one follows.
 */
function numberEnd(text: string, p: number, c: number): number {
  let q = p;
  if (c === 0x2b || c === 0xff0b) c = text.charCodeAt(++q) | 0;
  if (c === 0x28 || c === 0xff08) c = text.charCodeAt(++q) | 0;
  if ((CLS[c] & DIGC) === 0) return -1;
  let r = q + 1;
  let reps = 0;
  while (reps < 39) {
    let j = r;
    while (j - r < 3 && NUM_SEPC[text.charCodeAt(j) | 0]) j++;
    if ((CLS[text.charCodeAt(j) | 0] & DIGC) === 0) break;
    r = j + 1;
    reps++;
  }
  if (reps < 2) return -1;
  if (NUM_X[text.charCodeAt(r) | 0]) r++;
  return r;
}

/**
 * The tokenizer over one text: `next(from)` returns the kind of the next match at or after `from` and sets `start`
 * and `end`; Tok.NONE when there is none. `next(from)` is `re.lastIndex = from; re.exec(text)` with
 * `re = new RegExp(SCANNER_SOURCE, 'g')` (none of the alternatives matches the empty string).
 */
export class Scanner {
  start = 0;
  end = 0;
  /** a run [from, end) of e-mail local-part characters, and one of domain-label characters, found earlier: a
   * long run is measured once, not once per position inside it */
  private emailFrom = 0;
  private emailEnd = 0;
  private labelFrom = 0;
  private labelEnd = 0;

  constructor(readonly text: string) {}

  next(from: number): number {
    const text = this.text;
    const n = text.length;
    for (let p = from; p < n; p++) {
      const c = text.charCodeAt(p);
      if (START[c] === 0) continue;
      const kind = this.matchAt(p, c);
      if (kind !== Tok.NONE) {
        this.start = p;
        return kind;
      }
    }
    return Tok.NONE;
  }

  /** The capture groups of the alternative `kind` matched at `start` (for the kinds whose groups are needed). */
  groups(kind: number, start: number): RegExpExecArray | null {
    const re = STICKY[kind - 1];
    re.lastIndex = start;
    return re.exec(this.text);
  }

  private sticky(kind: number, p: number): boolean {
    const re = STICKY[kind - 1];
    re.lastIndex = p;
    if (!re.test(this.text)) return false;
    this.end = re.lastIndex;
    return true;
  }

  /** End of the run of characters of class `bit` that contains `p` (a character of that class). */
  private runEnd(p: number, bit: number): number {
    const text = this.text;
    let r = p + 1;
    while (CLS[text.charCodeAt(r) | 0] & bit) r++;
    return r;
  }

  /**
   * Whether an opening quote lies in text[from, from + 8): after its word (at most 3 characters, of which `from`
   * skips 2), the APP-name alternative allows at most three 1–2 character fillers before the quote.
   */
  private quoteNear(from: number): boolean {
    const text = this.text;
    for (let i = from; i < from + 8; i++) if (QUOTE[text.charCodeAt(i) | 0]) return true;
    return false;
  }

  /**
   * Whether the quote at `p` can open a quoted app name followed by an APP word: the name (1 to 30 characters
   * other than closing quotes and line breaks) ends at the first such character, which must be a closing quote,
   * then comes an optional 的 and the first character of an APP word.
   */
  private appAfterQuote(p: number): boolean {
    const text = this.text;
    const n = text.length;
    let q = p + 1;
    while (q < n && q - p <= 31 && !NAME_STOP[text.charCodeAt(q)]) q++;
    if (q >= n || q - p > 31 || q === p + 1 || !CLOSE_QUOTE[text.charCodeAt(q)]) return false;
    let a = text.charCodeAt(q + 1) | 0;
    if (a === 0x7684) a = text.charCodeAt(q + 2) | 0; // 的
    return APP_FIRST[a] === 1;
  }

  /** The alternative matching at `p` (first in source order), with `end` set; Tok.NONE when none does. */
  private matchAt(p: number, c: number): number {
    const text = this.text;
    const f = CLS[c];
    const c1 = text.charCodeAt(p + 1) | 0;
    // URL: h/H/ｈ/Ｈ then t/T/ｔ/Ｔ
    if (
      (c === 0x68 || c === 0x48 || c === 0xff48 || c === 0xff28) &&
      (c1 === 0x74 || c1 === 0x54 || c1 === 0xff54 || c1 === 0xff34) &&
      this.sticky(Tok.URL, p)
    ) {
      return Tok.URL;
    }
    // e-mail: 1 to 64 local-part characters, then '@' or '＠'
    if (f & EMAILC) {
      if (p < this.emailFrom || p >= this.emailEnd) {
        this.emailFrom = p;
        this.emailEnd = this.runEnd(p, EMAILC);
      }
      const r = this.emailEnd;
      const at = text.charCodeAt(r);
      if (r - p <= 64 && (at === 0x40 || at === 0xff20) && this.sticky(Tok.EMAIL, p)) return Tok.EMAIL;
    }
    if (IM_FIRST[c] && IM_SECOND[c1] && this.sticky(Tok.IM, p)) return Tok.IM;
    if (c === 0x30 && (c1 === 0x78 || c1 === 0x58) && this.sticky(Tok.ETH, p)) return Tok.ETH;
    if ((c === 0x62 || c === 0x42) && (c1 === 0x63 || c1 === 0x43) && text.charCodeAt(p + 2) === 0x31) {
      if (this.sticky(Tok.BECH32, p)) return Tok.BECH32;
    }
    // base58: [13Tr] then at least 24 base58 characters
    if ((c === 0x31 || c === 0x33 || c === 0x54 || c === 0x72) && CLS[text.charCodeAt(p + 24) | 0] & B58C) {
      if (this.sticky(Tok.BASE58, p)) return Tok.BASE58;
    }
    if (f & ALC) {
      // a domain: its first label (at most 63 label characters) must be followed by a dot
      if (p < this.labelFrom || p >= this.labelEnd) {
        this.labelFrom = p;
        this.labelEnd = this.runEnd(p, LABELC);
      }
      const r = this.labelEnd;
      if (r - p <= 63 && DOT_FIRST[text.charCodeAt(r) | 0] && this.sticky(Tok.DOMAIN, p)) return Tok.DOMAIN;
    }
    if (f & DIGC) {
      // IPv4: one to three digits, then a dot
      let r = p + 1;
      while (r - p <= 3 && CLS[text.charCodeAt(r) | 0] & DIGC) r++;
      const dot = text.charCodeAt(r);
      if (r - p <= 3 && (dot === 0x2e || dot === 0xff0e) && this.sticky(Tok.IPV4, p)) return Tok.IPV4;
    }
    if (c === 0x3a) {
      // ':' then at most four hex digits, then ':' again
      let r = p + 1;
      while (r - p <= 5 && CLS[text.charCodeAt(r) | 0] & HEXC) r++;
      if (r - p <= 5 && text.charCodeAt(r) === 0x3a && this.sticky(Tok.IPV6, p)) return Tok.IPV6;
    } else if (f & HEXC) {
      // IPv6: at most four hex digits, then ':'
      let r = p + 1;
      while (r - p <= 4 && CLS[text.charCodeAt(r) | 0] & HEXC) r++;
      if (r - p <= 4 && text.charCodeAt(r) === 0x3a && this.sticky(Tok.IPV6, p)) return Tok.IPV6;
    }
    if (f & DIGC || NUM_FIRST[c]) {
      const r = numberEnd(text, p, c);
      if (r >= 0) {
        this.end = r;
        return Tok.NUMBER;
      }
    }
    if (APP_FIRST[c] && APP_SECOND[c1] && this.quoteNear(p + 2) && this.sticky(Tok.APP_A, p)) return Tok.APP_A;
    if (QUOTE[c] && this.appAfterQuote(p) && this.sticky(Tok.APP_B, p)) return Tok.APP_B;
    if (f & WORD0) {
      let r = p + 1;
      while (r - p <= 200 && CLS[text.charCodeAt(r) | 0] & WORDC) r++;
      this.end = r;
      return Tok.WORD;
    }
    return Tok.NONE;
  }
}
