import {
  DEFAULT_DEGREE_CAPS,
  IDENTIFIER_KINDS,
  WARNINGLIST_VERSION,
  extractIdentifiers,
  identifierKey,
  normalizeIdentifier,
  parseDegreeCaps,
  warninglistEntries,
  warninglistLookup,
  type NormalizeOptions,
  type IdentifierKind,
} from './index';
import { extractLines } from '../cli/extract.command';

function value(kind: IdentifierKind | undefined, v: string, opts?: NormalizeOptions): string {
  const r = normalizeIdentifier({ kind, value: v }, opts);
  if (!r.ok) throw new Error(`${v}: ${r.reason} ${r.detail}`);
  return r.identifier.value;
}
function reason(kind: IdentifierKind | undefined, v: string, opts?: NormalizeOptions): string | undefined {
  const r = normalizeIdentifier({ kind, value: v }, opts);
  return r.ok ? undefined : r.reason;
}

describe('PHONE', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['+86 138-0013-8000', '+8613800138000'],
    ['0086 138 0013 8000', '+8613800138000'],
    ['86 13800138000', '+8613800138000'],
    ['１３８００１３８０００', '+8613800138000'],
    ['0769-22223333', '+8676922223333'],
    ['95588', 'CN:95588'],
    ['+86 95588', 'CN:95588'],
    ['110', 'CN:110'],
    ['96110', 'CN:96110'],
    ['12381', 'CN:12381'],
    ['10086', 'CN:10086'],
    ['400-812-3123', 'CN:4008123123'],
    ['800 820 8820', 'CN:8008208820'],
    ['CN:95588', 'CN:95588'],
  ])('%s → %s', (input, expected) => expect(value('PHONE', input)).toBe(expected));

  it('marks virtual-operator ranges', () => {
    for (const p of ['17012345678', '17112345678', '16212345678', '16512345678', '16712345678']) {
      const r = normalizeIdentifier({ kind: 'PHONE', value: p });
      expect(r.ok && r.identifier.attributes?.virtualOperator).toBe(true);
    }
    const r = normalizeIdentifier({ kind: 'PHONE', value: '13800138000' });
    expect(r.ok && r.identifier.attributes?.virtualOperator).toBeUndefined();
  });

  it('uses the region given by the importer', () => {
    expect(value('PHONE', '3152328257', { defaultRegion: 'US' })).toBe('+13152328257');
    expect(value('PHONE', '+1 (315) 232-8257')).toBe('+13152328257');
    expect(value('PHONE', '3152328257')).toBe('+863152328257'); // the same digits are a Tangshan landline in CN
  });

  it('reads a leading (NNN) as a North American area code, never as a Chinese number', () => {
    // Chinese area codes are written (0NN)/(0NNN); (NNN) without the 0 is how the NANP writes one
    expect(value(undefined, '(315) 232-8257')).toBe('+13152328257');
    expect(value('PHONE', '（315）232-8257')).toBe('+13152328257');
    expect(value('PHONE', '(0769) 2222-3333')).toBe('+8676922223333');
    // not a valid North American number: refused, not read as +86 (nor, untyped, as an account number)
    expect(reason('PHONE', '(555) 0013.8000')).toBe('INVALID_PHONE');
    expect(reason(undefined, '(315) 232-825')).toBe('INVALID_PHONE');
    // no North American area code starts with 1: a bracketed Chinese mobile prefix is read as usual
    expect(value('PHONE', '(138) 0013.8000')).toBe('+8613800138000');
    const hits = extractIdentifiers('骗子电话 (315) 232-8257，另一个 (0769) 2222-3333，还有 (555) 232-825').hits;
    expect(hits.map((h) => h.value)).toEqual(['+13152328257', '+8676922223333']);
  });

  it('rejects with reasons', () => {
    expect(reason('PHONE', '')).toBe('EMPTY');
    expect(reason('PHONE', '  ')).toBe('EMPTY');
    expect(reason('PHONE', '12')).toBe('TOO_SHORT');
    expect(reason('PHONE', 'call me')).toBe('UNKNOWN_FORMAT');
    expect(reason('PHONE', '1'.repeat(3000))).toBe('TOO_LONG');
    expect(reason('PHONE', '440106199001011235')).toBe('PERSONAL_DATA');
  });
});

describe('BANK_ACCOUNT', () => {
  it('keeps digits only and classifies cards by Luhn', () => {
    const card = normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: '6222 0212 3456 7890 128' });
    expect(card).toMatchObject({
      ok: true,
      identifier: { value: '6222021234567890128', attributes: { cardNumber: true } },
    });
    const acct = normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: '0003-0128-4701-3022' });
    expect(acct).toMatchObject({
      ok: true,
      identifier: { value: '0003012847013022', attributes: { cardNumber: false } },
    });
  });
  it('carries BIC8 so BIC8 and BIC11 variants collapse', () => {
    expect(value('BANK_ACCOUNT', '0039561229', { bic: 'DBSSSGSG' })).toBe('DBSSSGSG:0039561229');
    expect(value('BANK_ACCOUNT', '0039561229', { bic: 'DBSSSGSGXXX' })).toBe('DBSSSGSG:0039561229');
    expect(value('BANK_ACCOUNT', 'DBSSSGSG:0039561229')).toBe('DBSSSGSG:0039561229');
    expect(reason('BANK_ACCOUNT', '0039561229', { bic: '031101279' })).toBe('INVALID_BIC');
  });
  it('checks IBANs', () => {
    expect(value('BANK_ACCOUNT', 'gb29 nwbk 6016 1331 9268 19')).toBe('GB29NWBK60161331926819');
    expect(reason('BANK_ACCOUNT', 'GB29NWBK60161331926818')).toBe('BAD_CHECKSUM');
  });
});

describe('PAYMENT_ACCOUNT', () => {
  it('needs an explicit kind and a provider', () => {
    expect(value('PAYMENT_ACCOUNT', 'alipay:138 0013 8000')).toBe('alipay:+8613800138000');
    expect(value('PAYMENT_ACCOUNT', '支付宝:User@Example.COM')).toBe('alipay:User@example.com');
    expect(value('PAYMENT_ACCOUNT', 'wechatpay:wxid_abc123456')).toBe('wechatpay:wxid_abc123456');
    expect(reason('PAYMENT_ACCOUNT', '13800138000')).toBe('MISSING_PROVIDER');
    expect(reason('PAYMENT_ACCOUNT', 'venmo:abc')).toBe('UNKNOWN_PROVIDER');
    expect(reason(undefined, 'alipay:13800138000')).toBe('UNKNOWN_FORMAT');
  });
});

describe('URL and DOMAIN', () => {
  it('canonicalises URLs', () => {
    expect(value('URL', 'HTTP://WWW.Example.COM:80/a/b/?utm_source=x&id=1&spm=2#frag')).toBe(
      'https://www.example.com/a/b?id=1',
    );
    expect(value('URL', 'https://例子.中国/路径')).toBe('https://xn--fsqu00a.xn--fiqs8s/%E8%B7%AF%E5%BE%84');
    expect(value('URL', 'example.com/x')).toBe('https://example.com/x');
    expect(reason('URL', 'ftp://example.com/x')).toBe('UNSUPPORTED_SCHEME');
    expect(reason('URL', 'http://localhost/x')).toBe('UNKNOWN_FORMAT');
  });
  it('keeps a URL whose host has no registrable domain (retired or unknown TLD), without a DOMAIN', () => {
    for (const [input, canonical] of [
      ['http://myetherwallet.abarth', 'https://myetherwallet.abarth'], // .abarth: retired from the root zone
      ['https://login.myetherwallet.notatld/claim?id=7', 'https://login.myetherwallet.notatld/claim?id=7'],
      ['http://myetherwallet.ck', 'https://myetherwallet.ck'], // *.ck: the name itself is a public suffix
    ]) {
      const r = normalizeIdentifier({ kind: 'URL', value: input });
      expect(r).toMatchObject({ ok: true, identifier: { value: canonical, attributes: { registrableDomain: false } } });
      expect(r.ok && r.derived).toEqual([]);
    }
    // still no DOMAIN of its own, and in prose only with its scheme
    expect(reason('DOMAIN', 'myetherwallet.abarth')).toBe('NOT_REGISTRABLE');
    expect(extractIdentifiers('见 http://myetherwallet.abarth 和 readme.notatld/2').hits.map((h) => h.value)).toEqual([
      'https://myetherwallet.abarth',
    ]);
    // a registrable host is unchanged: a DOMAIN, no mark
    const ok = normalizeIdentifier({ kind: 'URL', value: 'http://myetherwallet.com' });
    expect(ok.ok && ok.identifier.attributes?.registrableDomain).toBeUndefined();
    expect(ok.ok && ok.derived.map((d) => d.value)).toEqual(['myetherwallet.com']);
  });
  it('derives the registrable domain, private suffixes included', () => {
    const r = normalizeIdentifier({ kind: 'URL', value: 'https://x.github.io/scam' });
    expect(r.ok && r.derived.map((d) => d.value)).toEqual(['x.github.io']);
    expect(value('DOMAIN', 'y.github.io')).toBe('y.github.io');
    expect(value('DOMAIN', 'login.secure.evil.com')).toBe('evil.com');
    expect(value('DOMAIN', 'xxx点com')).toBe('xxx.com');
    expect(value('DOMAIN', 'Bücher.de')).toBe('xn--bcher-kva.de');
    expect(reason('DOMAIN', 'github.io')).toBe('NOT_REGISTRABLE');
  });
  it('warninglists platform domains but never their URLs or user sites', () => {
    for (const d of [
      'twitter.com',
      'x.com',
      'medium.com',
      'telegra.ph',
      't.me',
      'google.com',
      'jsbin.com',
      'qq.com',
      'weibo.com',
      'douyin.com',
      'zhihu.com',
      'baidu.com',
      'taobao.com',
      'jd.com',
    ]) {
      expect(warninglistLookup({ kind: 'DOMAIN', value: d })).toMatchObject({ kind: 'DOMAIN', value: d });
    }
    expect(warninglistLookup({ kind: 'DOMAIN', value: 'x.github.io' })).toBeUndefined();
    expect(warninglistLookup({ kind: 'DOMAIN', value: 'evil.com' })).toBeUndefined();
    expect(warninglistLookup({ kind: 'URL', value: 'https://twitter.com/scammer' })).toBeUndefined();
  });
});

describe('kind detection', () => {
  it('detects what it can and says why it cannot', () => {
    expect(normalizeIdentifier({ value: 'wxid_abc123456' })).toMatchObject({
      ok: true,
      identifier: { kind: 'WECHAT_ID' },
    });
    expect(normalizeIdentifier({ value: 'Lucky_Girl88' })).toMatchObject({
      ok: true,
      identifier: { kind: 'WECHAT_ID', value: 'lucky_girl88' },
    });
    expect(reason(undefined, 'javascript:alert(1)')).toBe('UNSUPPORTED_SCHEME');
    expect(reason(undefined, 'data:text/html,<b>x</b>')).toBe('UNSUPPORTED_SCHEME');
    expect(reason(undefined, '')).toBe('EMPTY');
    expect(reason(undefined, 'scammer')).toBe('AMBIGUOUS'); // a word: WeChat ID? app? the kind must be given
    expect(reason(undefined, '12345678')).toBe('AMBIGUOUS'); // a QQ number? an account?
    expect(reason(undefined, '{"$gt": ""}')).toBe('UNKNOWN_FORMAT');
    expect(value('QQ_ID', '12345678')).toBe('12345678');
  });
});

describe('other kinds', () => {
  it('EMAIL lower-cases the domain only', () => {
    expect(value('EMAIL', 'Scam.Er@QQ.COM')).toBe('Scam.Er@qq.com');
    expect(reason('EMAIL', 'no-at-sign')).toBe('UNKNOWN_FORMAT');
  });
  it('IP canonical forms, public only', () => {
    expect(value('IP', '8.8.8.8')).toBe('8.8.8.8');
    expect(value('IP', '2001:4860:4860:0:0:0:0:8888')).toBe('2001:4860:4860::8888');
    expect(value('IP', '::ffff:8.8.4.4')).toBe('8.8.4.4');
    expect(reason('IP', '192.168.1.1')).toBe('NOT_PUBLIC');
    expect(reason('IP', '010.1.1.1')).toBe('UNKNOWN_FORMAT');
  });
  it('WECHAT_ID and QQ_ID', () => {
    expect(value('WECHAT_ID', 'Lucky_Girl88')).toBe('lucky_girl88');
    expect(value('WECHAT_ID', '138 0013 8000')).toBe('+8613800138000');
    expect(reason('WECHAT_ID', 'ab')).toBe('TOO_SHORT');
    expect(value('QQ_ID', '123456789')).toBe('123456789');
    expect(value('QQ_ID', '123456789@qq.com')).toBe('123456789');
    expect(reason('QQ_ID', '0123456')).toBe('UNKNOWN_FORMAT');
  });
  it('CRYPTO_WALLET', () => {
    expect(value(undefined, '0xD0cC2B24980CBCCA47EF755Da88B220a82291407')).toBe(
      '0xd0cc2b24980cbcca47ef755da88b220a82291407',
    );
    expect(reason('CRYPTO_WALLET', '0xD0cC2B24980CBCCA47EF755Da88B220a82291408')).toBe('BAD_CHECKSUM');
    expect(value(undefined, 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toBe('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
    expect(reason('CRYPTO_WALLET', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T')).toBe('BAD_CHECKSUM');
    expect(value(undefined, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    expect(value('CRYPTO_WALLET', 'BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ')).toBe(
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    );
    expect(value(undefined, 'rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh')).toBe('rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh');
    expect(value(undefined, 'LaXXasBpGtqnzi7AMywnujYeD3BFD1NFv2')).toBe('LaXXasBpGtqnzi7AMywnujYeD3BFD1NFv2');
  });
  it('APP names and packages', () => {
    expect(value('APP', 'com.Hengxin.Licai')).toBe('com.hengxin.licai');
    expect(value('APP', '“恒信理财”APP')).toBe('恒信理财');
    expect(value('APP', '恒信理财')).toBe('恒信理财');
    // suffixes are dropped while a name is left, so a normalised name normalises to itself (a CI counterexample)
    expect(value('APP', '13800138000APPAPP')).toBe('13800138000app');
    expect(value('APP', '13800138000app')).toBe('13800138000app');
    expect(value('APP', '恒信理财 APP 客户端')).toBe('恒信理财');
  });
  it('refuses resident ID numbers as any kind', () => {
    expect(reason(undefined, '440106199001011235')).toBe('PERSONAL_DATA');
    expect(reason('BANK_ACCOUNT', '440106199001011235')).toBe('PERSONAL_DATA');
    expect(reason('QQ_ID', '440106199001011235')).toBe('PERSONAL_DATA');
  });
  it('never accepts unsafe input', () => {
    expect(reason('APP', '$where')).toBe('INVALID_CHARACTER');
    expect(reason('APP', 'a\u0000b')).toBe('INVALID_CHARACTER');
    expect(reason('NOPE' as IdentifierKind, 'x')).toBe('UNSUPPORTED_KIND');
  });
});

describe('keys, warninglist, degree caps', () => {
  it('identifierKey', () => expect(identifierKey('PHONE', '+8613800138000')).toBe('PHONE:+8613800138000'));

  it('warninglist values are canonical and carry notes in both languages', () => {
    expect(WARNINGLIST_VERSION).toMatch(/^\d+\.\d+\.\d+\+platform-\d+\.\d+\.\d+$/);
    const entries = warninglistEntries();
    for (const v of [
      '110',
      '119',
      '120',
      '122',
      '12110',
      '96110',
      '12381',
      '12321',
      '12315',
      '12345',
      '95588',
      '95533',
      '95599',
      '95566',
      '95559',
      '95555',
      '95595',
      '95558',
      '95568',
      '95528',
      '95561',
      '95577',
      '95580',
      '10086',
      '10010',
      '10000',
      '10099',
    ]) {
      expect(warninglistLookup({ kind: 'PHONE', value: `CN:${v}` })).toBeDefined();
    }
    for (const e of entries) {
      expect(normalizeIdentifier({ kind: e.kind, value: e.value })).toMatchObject({
        ok: true,
        identifier: { value: e.value },
      });
      expect(e.note).toMatch(/[\u4e00-\u9fff]/);
      expect(e.noteEn).toMatch(/[A-Za-z]/);
    }
    expect(warninglistLookup({ kind: 'PHONE', value: 'CN:95588' })?.noteEn).toContain(
      'Industrial and Commercial Bank of China',
    );
    expect(warninglistLookup({ kind: 'PHONE', value: '+8613800138000' })).toBeUndefined();
  });

  it('degree caps: defaults for every kind, env overrides, bad tokens named', () => {
    expect(Object.keys(DEFAULT_DEGREE_CAPS).sort()).toEqual([...IDENTIFIER_KINDS].sort());
    expect(DEFAULT_DEGREE_CAPS.PHONE).toBe(100);
    expect(parseDegreeCaps(undefined)).toEqual(DEFAULT_DEGREE_CAPS);
    expect(parseDegreeCaps(' PHONE=50, URL=200 ,')).toEqual({ ...DEFAULT_DEGREE_CAPS, PHONE: 50, URL: 200 });
    expect(() => parseDegreeCaps('PHONE=50,FAX=3')).toThrow(/FAX=3/);
    expect(() => parseDegreeCaps('PHONE=0')).toThrow(/PHONE=0/);
    expect(() => parseDegreeCaps('PHONE')).toThrow(/"PHONE"/);
  });
});

describe('extraction and the CLI output', () => {
  it('prints one JSON object per hit with exactly the contract keys, offsets into the original text', () => {
    const text = '骗子电话１３８００１３８０００，微信：abc_123x，网址 https://evil.top/a?utm_source=1 ，转账12000元';
    const lines = extractLines(text);
    expect(lines.length).toBe(4);
    for (const l of lines) {
      const o = JSON.parse(l) as Record<string, unknown>;
      expect(Object.keys(o)).toEqual(['kind', 'value', 'display', 'start', 'end']);
    }
    const phone = JSON.parse(lines[0]) as { value: string; start: number; end: number };
    expect(phone.value).toBe('+8613800138000');
    expect(text.slice(phone.start, phone.end)).toBe('１３８００１３８０００');
  });

  it('narrative hits have lower confidence than typed-in identifiers and redact ID numbers', () => {
    const r = extractIdentifiers('身份证440106199001011235，电话13800138000');
    expect(r.hits.map((h) => h.value)).toEqual(['+8613800138000']);
    expect(r.hits[0].confidence).toBeLessThan(1);
    expect(r.redactedText).toBe('身份证******************，电话13800138000');
  });
});
