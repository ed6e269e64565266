/**
 * Shortcuts taken for speed must give what the long way gives: the URL host read again as a DOMAIN, the Unicode
 * display of a domain, folding of ASCII and CJK text.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { isUrlHostAsWritten } from './extract';
import { fold, foldCodePoint } from './text';
import { normalizeBankAccount } from './bank';
import { mayBeIpv6, normalizeIp } from './ip';
import { extractIdentifiers } from './extract';
import {
  deobfuscateDots,
  filterQuery,
  hostnameShape,
  isPlainHostname,
  isTrackingParam,
  normalizeDomain,
  normalizeUrl,
} from './url';

const label = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,10}$/);
const suffix = fc.constantFrom(
  'com',
  'COM',
  'cn',
  'com.cn',
  'co.uk',
  'top',
  'github.io',
  'blogspot.com',
  'xn--fiqs8s',
  'xn--abc',
  '123',
  '1',
  '0x1f',
  'local',
  'io.',
  'com.',
  'a-',
);
const host = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), suffix)
  .map(([labels, tld]) => `${labels.join('.')}.${tld}`);

describe('speed shortcuts', () => {
  it('a query without empty or tracking parameters is kept as it is, as the split-filter-join way keeps it', () => {
    const longWay = (search: string, h: string): string => {
      if (!search || search === '?') return '';
      const decode = (x: string): string => {
        try {
          return decodeURIComponent(x.replace(/\+/g, ' '));
        } catch {
          return x;
        }
      };
      const kept = search
        .slice(1)
        .split('&')
        .filter((p) => p !== '' && !isTrackingParam(decode(p.split('=')[0]), h));
      return kept.length ? `?${kept.join('&')}` : '';
    };
    const name = fc.constantFrom(
      'id',
      'utm_source',
      'UTM_x',
      'from',
      'spm',
      's',
      't',
      'key',
      'q',
      '%75tm_a',
      'a+b',
      '%zz',
      '',
    );
    const param = fc.tuple(name, fc.constantFrom('', '=', '=1', '=a=b', '=%20')).map(([n, v]) => `${n}${v}`);
    const query = fc.array(param, { maxLength: 5 }).map((ps) => `?${ps.join('&')}`);
    const h = fc.constantFrom('a.com', 'mp.weixin.qq.com', 'x.com', 'www.twitter.com');
    fc.assert(
      fc.property(
        fc.oneof(query, fc.constant(''), fc.constant('?'), fc.constant('?&'), fc.constant('?a&')),
        h,
        (q, host) => {
          expect(filterQuery(q, host)).toBe(longWay(q, host));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('hostnameShape answers as the hostname regex and the label test', () => {
    const longWay = (h: string): string => {
      if (!/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/.test(h)) return 'NOT_A_HOSTNAME';
      const bad = h.split('.').some((l) => l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-'));
      return bad ? 'BAD_LABEL' : 'OK';
    };
    const part = fc.stringMatching(/^[a-z0-9_.A-Z\-:@ ]{0,70}$/);
    fc.assert(
      fc.property(
        fc.oneof(
          part,
          host,
          host.map((h) => h.toLowerCase()),
        ),
        (h) => {
          expect(hostnameShape(h)).toBe(longWay(h));
        },
      ),
      { numRuns: 5000 },
    );
    for (const h of ['', '.', 'a', 'a.', '.a', 'a..b', 'a.b', '-a.b', 'a-.b', 'a.b-', `${'a'.repeat(64)}.com`, 'x_y.c'])
      expect(hostnameShape(h)).toBe(longWay(h));
  });

  it('a URL host kept as written reads as the URL’s own DOMAIN', () => {
    let taken = 0;
    fc.assert(
      fc.property(host, fc.constantFrom('http://', 'https://', 'HTTP://'), (h, scheme) => {
        const u = normalizeUrl(`${scheme}${h}/path?q=1`);
        if (!u.ok) return;
        for (const d of u.derived) {
          if (d.kind !== 'DOMAIN' || !isUrlHostAsWritten(h, u.identifier.attributes?.host)) continue;
          taken++;
          const again = normalizeDomain(h);
          expect(again.ok && again.identifier.value).toBe(d.value);
          expect(again.ok && again.identifier).toEqual(d);
        }
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it('a domain’s display is its IDNA Unicode form', () => {
    fc.assert(
      fc.property(
        fc.oneof(host, fc.constantFrom('例子.中国', 'bücher.de', 'xn--bcher-kva.de', 'www.例子.com', 'a.xn--fiqs8s')),
        (h) => {
          const r = normalizeDomain(h);
          if (r.ok) expect(r.identifier.display).toBe(domainToUnicode(r.identifier.value) || r.identifier.value);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a plain host name is its own IDNA ASCII form', () => {
    const piece = fc.constantFrom('a', 'z', '0', '9', '-', '.', 'x', 'n', 'xn--', '0x', 'f', '123', 'com', '..');
    let plain = 0;
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (parts) => {
        const h = parts.join('');
        if (!isPlainHostname(h)) return;
        plain++;
        expect(domainToASCII(h)).toBe(h);
      }),
      { numRuns: 5000 },
    );
    expect(plain).toBeGreaterThan(500);
    for (const h of ['a.1', 'a.0x1f', 'a.0x', '1.2.3', 'xn--abc.com', 'a..b', 'a.com.', 'A.com']) {
      expect(isPlainHostname(h)).toBe(false);
    }
  });

  it('obfuscated dots are replaced as the full pattern replaces them', () => {
    const piece = fc.constantFrom('a', '点', '點', '[.]', '(.)', '[dot]', '(DOT)', ' ', '[', '(', '.', 'com');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const s = parts.join('');
        expect(deobfuscateDots(s)).toBe(s.replace(/\s*(?:点|點|\[\.\]|\(\.\)|\[dot\]|\(dot\))\s*/gi, '.'));
      }),
      { numRuns: 2000 },
    );
  });

  it('a bank account of plain digits reads as its spaced spelling, grouped by four', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,40}$/), (digits) => {
        const r = normalizeBankAccount(digits);
        expect(r).toEqual(normalizeBankAccount(` ${digits.replace(/(\d{3})/g, '$1-')} `));
        if (r.ok) expect(r.identifier.display).toBe(digits.replace(/(\d{4})(?=\d)/g, '$1 '));
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv6: text mayBeIpv6 turns down is text ipaddr rejects', () => {
    const piece = fc.constantFrom(
      '2001',
      'db8',
      '0',
      'ffff',
      ':',
      '::',
      '1',
      '1.2.3.4',
      '255.1.1.1',
      'g',
      '12',
      ':30',
      '.',
    );
    let valid = 0;
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 16 }), (parts) => {
        const s = parts.join('');
        const ok = ipaddr.IPv6.isValid(s);
        if (ok) valid++;
        if (!mayBeIpv6(s)) expect([s, ok]).toEqual([s, false]);
      }),
      { numRuns: 20000 },
    );
    expect(valid).toBeGreaterThan(50);
    for (const s of ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::1', '1::', '1:2:3:4:5:6:7:8:', ':1:2:3:4:5:6:7'])
      expect([s, mayBeIpv6(s) || !ipaddr.IPv6.isValid(s)]).toEqual([s, true]);
  });

  it('IPv6: parsed once, as valid and canonical as isValid-then-parse', () => {
    const piece = fc.constantFrom('2001', 'db8', '0', 'ffff', ':', '::', '1', '%eth0', '1.2.3.4', 'g', '12', ':30');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 10 }), (parts) => {
        const s = parts.join('');
        const r = normalizeIp(s);
        const valid = s.includes(':') && !s.includes('%') && ipaddr.IPv6.isValid(s);
        if (!/^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/.test(s) && !valid) expect(r.ok).toBe(false);
        if (valid && !ipaddr.IPv4.isValidFourPartDecimal(s)) {
          const v6 = ipaddr.IPv6.parse(s);
          const addr = v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
          expect(r.ok).toBe(addr.range() === 'unicast');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('no two hits share an attributes object, repeated values included', () => {
    const text =
      '电话13800138000，再打13800138000（微信同号），卡号6222020200112233445，网址https://a.example.com/x 和 ' +
      'https://a.example.com/x ，QQ 123456789，邮箱 123456789@qq.com，13800138000。';
    const { hits } = extractIdentifiers(text.repeat(3));
    const withAttributes = hits.filter((h) => h.attributes);
    expect(withAttributes.length).toBeGreaterThan(20);
    expect(new Set(withAttributes.map((h) => h.attributes)).size).toBe(withAttributes.length);
  });

  it('fold of ASCII and CJK text is the code-point-by-code-point fold', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x4dff, max: 0x4e01 }),
      fc.integer({ min: 0x9ffe, max: 0xa000 }),
      fc.integer({ min: 0x4e00, max: 0x9fff }),
      fc.constantFrom(0x3002, 0xff10, 0xff21, 0x3000, 0xd800, 0xdc00, 0x2014, 0xff0e),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (codes) => {
        const s = String.fromCharCode(...codes);
        let slow = '';
        for (let i = 0; i < s.length;) {
          const cp = s.codePointAt(i) as number;
          slow += foldCodePoint(cp);
          i += cp > 0xffff ? 2 : 1;
        }
        expect(fold(s)).toBe(slow);
      }),
      { numRuns: 3000 },
    );
  });
});
