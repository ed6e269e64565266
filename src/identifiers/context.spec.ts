/**
 * The shortcuts of context.ts must give exactly the answers of the rules' regexes on their slices of the text.
 */
import fc from 'fast-check';
import {
  AFTER_LENGTH,
  BEFORE_LENGTH,
  BEFORE_RULES,
  TIME_AFTER,
  TIME_BEFORE,
  UNIT_AFTER,
  WECHAT_SAME,
  before,
  timeAfter,
  timeBefore,
  unitAfter,
  wechatSameAfter,
} from './context';
import { fold } from './text';

/** The keywords of a rule's `(?:a|b|[Xx]y|\bz|w(?!v))` group, every spelling of its character classes expanded. */
function keywords(re: RegExp): string[] {
  const src = re.source.replace(/^\^\\s\?/, '');
  const open = src.indexOf('(?:');
  let depth = 0;
  let close = open;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '(') depth++;
    else if (src[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const out: string[] = [];
  for (const alt of src.slice(open + 3, close).split('|')) {
    const atoms = alt
      .replace(/\(\?![^)]*\)/g, '')
      .replace(/\\b/g, '')
      .match(/\[[^\]]+\]|\\.|./g) as string[];
    let spellings = [''];
    for (const atom of atoms) {
      const chars = atom.startsWith('[') ? [...atom.slice(1, -1)] : [atom.replace(/^\\/, '')];
      spellings = spellings.flatMap((p) => chars.map((c) => p + c));
    }
    out.push(...spellings);
  }
  return out;
}

const filler = fc.constantFrom(
  '的',
  '是',
  '：',
  ':',
  ' ',
  '\u3000',
  '，',
  '号',
  '码',
  'a',
  'X',
  '1',
  '9',
  '-',
  '(',
  '元',
);
const anyText = fc
  .array(
    fc.oneof(
      filler,
      fc.string({ maxLength: 3 }),
      fc.constantFrom('卡号', '电话', '订单', '身份证', '¥', 'ID', '微信同号', '（微信', 'vx同号', '即微信'),
    ),
    {
      maxLength: 12,
    },
  )
  .map((a) => a.join(''));

describe('number context shortcuts', () => {
  const rules = Object.entries(BEFORE_RULES);

  it.each(rules)('%s: every keyword followed by what the rule allows is seen', (_name, rule) => {
    const words = keywords(rule.re);
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) {
      for (const tail of ['', '号', '码', '：', ' 是', '号：', '号码是', '  ：', '号 ：是', ' 是的： ']) {
        const text = `前面的文字${w}${tail}`;
        const slice = text.slice(Math.max(0, text.length - BEFORE_LENGTH));
        expect(before(rule, text, text.length)).toBe(rule.re.test(slice));
        expect(before(rule, `${text}123`, text.length)).toBe(rule.re.test(slice));
      }
    }
  });

  it('unit and time rules: every unit and colon is seen', () => {
    for (const w of [...keywords(UNIT_AFTER), ':', '：']) {
      for (const lead of ['', ' ', '\u3000', '\t', '  ']) {
        for (const tail of ['', '1', ' 2', 'x', '。']) {
          const text = `123${lead}${w}${tail}`;
          expect(unitAfter(text, 3)).toBe(UNIT_AFTER.test(text.slice(3, 3 + AFTER_LENGTH)));
          expect(timeAfter(text, 3)).toBe(TIME_AFTER.test(text.slice(3, 3 + AFTER_LENGTH)));
          const rev = `${tail}${w}${lead}`;
          expect(timeBefore(`9${rev}`, rev.length + 1)).toBe(TIME_BEFORE.test(`9${rev}`.slice(-BEFORE_LENGTH)));
        }
      }
    }
  });

  it('微信同号 after a number: every keyword after what the rule allows is seen', () => {
    for (const w of keywords(WECHAT_SAME)) {
      for (const lead of ['', ' ', '(', '（', ',', '，', '（ ', '\u3000，', ',,,']) {
        for (const tail of ['', '）', '，加我']) {
          const text = `13800138000${lead}${w}${tail}`;
          const want = WECHAT_SAME.test(text.slice(11, 16) + fold(text.slice(16, 23)));
          expect(wechatSameAfter(text, 11)).toBe(want);
        }
      }
    }
    expect(wechatSameAfter('13800138000（微信同号）', 11)).toBe(true);
  });

  it('agrees with the regexes on random text at every position', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (let a = 0; a <= text.length; a++) {
          const pre = text.slice(Math.max(0, a - BEFORE_LENGTH), a);
          const post = text.slice(a, a + AFTER_LENGTH);
          for (const [, rule] of rules) expect(before(rule, text, a)).toBe(rule.re.test(pre));
          expect(unitAfter(text, a)).toBe(UNIT_AFTER.test(post));
          expect(timeAfter(text, a)).toBe(TIME_AFTER.test(post));
          expect(timeBefore(text, a)).toBe(TIME_BEFORE.test(pre));
          expect(wechatSameAfter(text, a)).toBe(WECHAT_SAME.test(post + fold(text.slice(a + 5, a + 12))));
        }
      }),
      { numRuns: 300 },
    );
  });
});
