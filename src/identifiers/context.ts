/**
 * Context rules for numbers found in text: the keyword before a number (amount, order number, account, phone,
 * resident ID) and the unit or time after it. Each rule is a regex over a short slice of the text — the 10
 * characters before the number, or the 5 after it — and this module asks it only when the slice could match:
 * a rule ending in `KEYWORD[^\d]{0,k}$` needs the last character of one of its keywords among the last k + 1
 * characters of the slice (k + 2 with an optional 号/码), and a rule starting `^\s?X` needs an X at the first or
 * second character. Those tests are necessary conditions read off the regexes; the answer is always the
 * regex's own (context.spec checks the conditions against every keyword of every rule).
 */

import { fold } from './text';

/** A number followed by a unit is an amount, a date, a time, a count or a measure — not an identifier. */
export const UNIT_AFTER =
  /^\s?(?:元|块|圆|万|千|百|亿|角|毛|美元|美金|刀|年|月|日|時|时|点|點|分|秒|天|周|次|个|個|笔|筆|%|％|岁|期|楼|层|室|栋|条|人|位|张|倍|克|斤|公斤|吨|米|里|km|kg|w\b|W\b|k\b|K\b|USDT|usdt|U\b|rmb|RMB)/;
/** Amount context before a number: only a bank card may follow. */
export const AMOUNT_BEFORE =
  /(?:[¥￥$]|RMB|rmb|人民币|金额|共计|合计|总计|损失|被骗|价格|价值|充值|提现|本金|利息|收益|返利|佣金|押金|保证金|手续费|解冻费|余额|转账|转了|汇款|汇了|付款|支付(?!宝)|付了|投入|投资|借款|贷款|额度)[^\d]{0,3}$/;
/** Order numbers, codes and other non-identifiers introduced by a keyword. */
export const ORDER_BEFORE =
  /(?:订单|單號|单号|编号|編號|流水|验证码|驗證碼|校验码|动态码|工号|快递|运单|尾号|密码|车牌|房间|房号|工单|案件|案号|编码|邮编|批次|序列号|序号|交易号|凭证|回执|学号|会员号|[Uu][Ii][Dd]|\bID|\bid|发票|合同|版本|型号|身高|体重)[号码]?[^\d]{0,3}$/;
export const ACCOUNT_BEFORE =
  /(?:卡号|卡號|银行卡|銀行卡|储蓄卡|信用卡|借记卡|账号|帳號|帐号|账户|帳戶|帐户|对公|收款账|开户|卡)[^\d]{0,4}$/;
export const PHONE_BEFORE =
  /(?:电话|電話|手机|手機|号码|號碼|致电|拨打|撥打|来电|來電|热线|熱線|客服|联系|聯繫|打给|呼叫|座机|报警|举报|[Tt]el|TEL|[Cc]all|短信|号|打)[^\d]{0,4}$/;
export const ID_BEFORE = /(?:身份证|身份證|证件号|證件號|身份号)[^\d]{0,6}$/;
export const TIME_AFTER = /^\s?[:：]\s?\d/;
export const TIME_BEFORE = /\d\s?[:：]\s?$/;
/** "13800138000（微信同号）": the number is also the WeChat ID. */
export const WECHAT_SAME = /^[\s(（,，]{0,2}(?:微信同号|微信同號|同微信|[VvWw][Xx]同号|微信也是|即微信)/;

/** Characters before a number that the keyword rules look at. */
export const BEFORE_LENGTH = 10;
/** Characters after a number that the unit and time rules look at. */
export const AFTER_LENGTH = 5;

interface BeforeRule {
  re: RegExp;
  /** bit of this rule in LAST_CHAR */
  bit: number;
  /** the keyword's last character lies among the last `window` characters of the slice */
  window: number;
}

const LAST_CHAR = new Uint8Array(65536);
function rule(re: RegExp, bit: number, window: number, lastChars: string): BeforeRule {
  for (const ch of lastChars) LAST_CHAR[ch.charCodeAt(0)] |= bit;
  return { re, bit, window };
}

/** The rules, each with the last characters of its keywords (context.spec derives them from the sources). */
export const BEFORE_RULES = {
  ORDER: rule(ORDER_BEFORE, 1, 5, '单號号水码碼递牌间件编次证执Dd票同本高重'),
  ACCOUNT: rule(ACCOUNT_BEFORE, 2, 5, '号號卡户戶公账'),
  AMOUNT: rule(AMOUNT_BEFORE, 4, 4, '¥￥$Bb币额计失骗格值现金息益利费账了款付入资度'),
  PHONE: rule(PHONE_BEFORE, 8, 5, '话話机機码碼电電打线線服系繫给叫警报lL信号'),
  ID: rule(ID_BEFORE, 16, 7, '证證号號'),
} as const;

/** `r.re.test(text.slice(max(0, a - 10), a))`, without the slice when no keyword can end in the window. */
export function before(r: BeforeRule, text: string, a: number): boolean {
  const lo = Math.max(0, a - BEFORE_LENGTH);
  const from = Math.max(lo, a - r.window);
  let i = a - 1;
  while (i >= from && (LAST_CHAR[text.charCodeAt(i)] & r.bit) === 0) i--;
  if (i < from) return false;
  return r.re.test(text.slice(lo, a));
}

/** JavaScript's `\s`, as a table. */
const SPACE = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) if (/\s/.test(String.fromCharCode(c))) SPACE[c] = 1;
/** First characters of the units of UNIT_AFTER. */
const UNIT_FIRST = new Uint8Array(65536);
for (const ch of '元块圆万千百亿角毛美刀年月日時时点點分秒天周次个個笔筆%％岁期楼层室栋条人位张倍克斤公吨米里kKwWUurR') {
  UNIT_FIRST[ch.charCodeAt(0)] = 1;
}

/** `UNIT_AFTER.test(text.slice(b, b + 5))`, without the slice when no unit starts at b or b + 1. */
export function unitAfter(text: string, b: number): boolean {
  const c = text.charCodeAt(b) | 0;
  if (!UNIT_FIRST[c] && !(SPACE[c] && UNIT_FIRST[text.charCodeAt(b + 1) | 0])) return false;
  return UNIT_AFTER.test(text.slice(b, b + AFTER_LENGTH));
}

function isColon(c: number): boolean {
  return c === 0x3a || c === 0xff1a;
}

/** `TIME_AFTER.test(text.slice(b, b + 5))`, without the slice when no colon is at b or b + 1. */
export function timeAfter(text: string, b: number): boolean {
  const c = text.charCodeAt(b) | 0;
  if (!isColon(c) && !(SPACE[c] && isColon(text.charCodeAt(b + 1) | 0))) return false;
  return TIME_AFTER.test(text.slice(b, b + AFTER_LENGTH));
}

/** `TIME_BEFORE.test(text.slice(max(0, a - 10), a))`, without the slice unless it ends in a colon or a space. */
export function timeBefore(text: string, a: number): boolean {
  if (a <= 0) return false;
  const c = text.charCodeAt(a - 1);
  if (c !== 0x3a && c !== 0xff1a && !SPACE[c]) return false;
  return TIME_BEFORE.test(text.slice(Math.max(0, a - BEFORE_LENGTH), a));
}

/**
 * WECHAT_SAME on the 5 characters after a number and the folded 7 after those. Its keyword starts within the
 * first three characters (after at most two of `\s(（,，`), so without 微/同/V/v/W/w/即 there the answer is no.
 */
export function wechatSameAfter(text: string, b: number): boolean {
  let seen = false;
  for (let i = b; i < b + 3 && i < text.length && !seen; i++) {
    const c = text.charCodeAt(i);
    seen = c === 0x5fae || c === 0x540c || c === 0x5373 || c === 0x56 || c === 0x76 || c === 0x57 || c === 0x77;
  }
  return seen && WECHAT_SAME.test(text.slice(b, b + AFTER_LENGTH) + fold(text.slice(b + 5, b + 12)));
}
