/** Payment accounts in free text (payment-text.ts); the Chinese forms are also in testdata/narratives.zh.jsonl. */
import { extractIdentifiers } from './index';

const found = (text: string) =>
  extractIdentifiers(text)
    .hits.filter((h) => h.kind === 'PAYMENT_ACCOUNT')
    .map((h) => [h.value, text.slice(h.start, h.end)]);

describe('payment accounts in free text', () => {
  it('reads every account of a list after its keyword', () => {
    expect(found('支付宝账号 13800138000 / xxx@163.com、13912345678')).toEqual([
      ['alipay:+8613800138000', '13800138000'],
      ['alipay:xxx@163.com', 'xxx@163.com'],
      ['alipay:+8613912345678', '13912345678'],
    ]);
    expect(found('微信收款码 lucky_girl88')).toEqual([['wechatpay:lucky_girl88', 'lucky_girl88']]);
    expect(found('paid via WeChat Pay: 13800138000 and Alipay: scam@163.com')).toEqual([
      ['wechatpay:+8613800138000', '13800138000'],
      ['alipay:scam@163.com', 'scam@163.com'],
    ]);
  });

  it('finds none in amounts, masked numbers, words or keywords inside other words', () => {
    expect(found('微信支付 200元，支付宝转了5000元')).toEqual([]);
    expect(found('支付宝账号138****8000')).toEqual([]);
    expect(found('支付宝账号 lucky_girl88')).toEqual([]); // an Alipay account is a phone or an e-mail
    expect(found('邮箱 alipay_user@163.com')).toEqual([]);
    expect(found('支付宝客服 95188')).toEqual([]); // a service number is nobody's account
  });
});
