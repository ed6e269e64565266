/**
 * Text folding: NFKC (full-width → half-width, circled digits, ideographic space ...) plus a few Chinese
 * punctuation marks NFKC leaves alone, with an offset map back to the original string so that every hit can be
 * reported in original UTF-16 offsets.
 */

/** Characters NFKC does not fold but that we read as ASCII punctuation. */
const SPECIAL: ReadonlyMap<number, string> = new Map<number, string>([
  [0x3002, '.'], // 。 ideographic full stop
  [0xff61, '.'], // ｡ half-width ideographic full stop
  [0x3001, ','], // 、
  [0x3010, '['], // 【
  [0x3011, ']'], // 】
  [0x300c, '"'], // 「
  [0x300d, '"'], // 」
  [0x300e, '"'], // 『
  [0x300f, '"'], // 』
  [0x201c, '"'], // “
  [0x201d, '"'], // ”
  [0x2018, "'"], // ‘
  [0x2019, "'"], // ’
  [0x2010, '-'],
  [0x2011, '-'],
  [0x2012, '-'],
  [0x2013, '-'],
  [0x2014, '-'],
  [0x2015, '-'],
  [0x2212, '-'], // minus sign
  [0x30fc, '-'], // ー katakana prolonged sound mark, used as a dash
  [0x00b7, '.'], // · middle dot
  [0x30fb, '.'], // ・
]);

const nfkcCache = new Map<number, string>();

/** Folds one code point; never throws (lone surrogates are returned unchanged). */
export function foldCodePoint(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  const special = SPECIAL.get(cp);
  if (special !== undefined) return special;
  // CJK unified ideographs are NFKC-stable: skip the normaliser.
  if (cp >= 0x4e00 && cp <= 0x9fff) return String.fromCharCode(cp);
  let r = nfkcCache.get(cp);
  if (r === undefined) {
    r = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp).normalize('NFKC');
    if (nfkcCache.size < 65536) nfkcCache.set(cp, r);
  }
  return r;
}

export interface FoldedText {
  /** folded text */
  text: string;
  /** map[i] = offset in the original of the code point that produced folded char i; map[text.length] = original length */
  map: number[];
}

/** Folds `s` and keeps, for every folded UTF-16 unit, the original offset of its source code point. */
export function foldWithMap(s: string): FoldedText {
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp);
    out += f;
    for (let k = 0; k < f.length; k++) map.push(i);
    i += width;
  }
  map.push(s.length);
  return { text: out, map };
}

/** Folds `s` (no offset map). */
export function fold(s: string): string {
  // Fast path: ASCII and CJK unified ideographs fold to themselves (see foldCodePoint).
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && (c < 0x4e00 || c > 0x9fff)) break;
  }
  if (i === s.length) return s;
  let out = '';
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i) as number;
    out += foldCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/** Original [start, end) of the folded range [fs, fe). */
export function mapSpan(f: FoldedText, fs: number, fe: number): { start: number; end: number } {
  const start = f.map[fs];
  // end: the original offset just past the code point that produced folded char fe-1
  let end: number;
  if (fe <= fs) end = start;
  else {
    const last = f.map[fe - 1];
    let j = fe;
    while (j < f.map.length - 1 && f.map[j] === last) j++;
    end = f.map[j];
  }
  return { start, end };
}

/** True when the string contains NUL or other C0 control characters except tab/newline/CR. */
export function hasControlChars(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s);
}

/** True when the string contains an unpaired surrogate. */
export function hasLoneSurrogate(s: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
