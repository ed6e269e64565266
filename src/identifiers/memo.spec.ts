/**
 * The memo of normalisation results: bounded, keyed by every argument, and invisible in what extraction and
 * normalizeIdentifier return — the same answers with it as without it, from a cold or a warm memo.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { extractIdentifiers, normalizeIdentifier } from './index';
import { DEFAULT_IDENTIFIER_MEMO_SIZE, clearIdentifierMemo, recall, setIdentifierMemoSize } from './memo';
import { reject, type IdentifierKind, type NormalizeResult } from './kinds';
import { libTrace } from './lib-trace';
import { normalizePhone } from './remembered';

const corpus: string[] = readFileSync(path.join(__dirname, 'testdata/narratives.zh.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { text: string }).text);

afterEach(() => setIdentifierMemoSize(DEFAULT_IDENTIFIER_MEMO_SIZE));

describe('identifier memo', () => {
  it('remembers up to its size and forgets the least recently used', () => {
    setIdentifierMemoSize(2);
    let computed = 0;
    const compute = (): NormalizeResult => {
      computed++;
      return reject('EMPTY', `call ${computed}`);
    };
    const a1 = recall('a', compute);
    expect(recall('a', compute)).toBe(a1);
    recall('b', compute);
    recall('a', compute); // a is now the most recently used
    recall('c', compute); // evicts b
    expect(computed).toBe(3);
    expect(recall('a', compute)).toBe(a1);
    recall('b', compute);
    expect(computed).toBe(4);
  });

  it('remembers nothing at size 0', () => {
    setIdentifierMemoSize(0);
    let computed = 0;
    const compute = (): NormalizeResult => reject('EMPTY', `call ${++computed}`);
    recall('a', compute);
    recall('a', compute);
    expect(computed).toBe(2);
  });

  it('extraction gives the same hits without the memo, from a cold memo and from a warm one', () => {
    const texts = [...corpus, corpus.join('\n')];
    setIdentifierMemoSize(0);
    const without = texts.map((t) => extractIdentifiers(t));
    setIdentifierMemoSize(DEFAULT_IDENTIFIER_MEMO_SIZE);
    clearIdentifierMemo();
    const cold = texts.map((t) => extractIdentifiers(t));
    const warm = texts.map((t) => extractIdentifiers(t));
    expect(cold).toEqual(without);
    expect(warm).toEqual(without);
  });

  it('normalizeIdentifier keys on every argument: kind, region and BIC', () => {
    clearIdentifierMemo();
    // a US national number: +1 with region US, something else with CN; typed as a phone or detected
    const us = normalizeIdentifier({ kind: 'PHONE', value: '2025550123' }, { defaultRegion: 'US' });
    const cn = normalizeIdentifier({ kind: 'PHONE', value: '2025550123' }, { defaultRegion: 'CN' });
    const detected = normalizeIdentifier({ value: '2025550123' }, { defaultRegion: 'US' });
    const asAccount = normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: '2025550123' }, { defaultRegion: 'US' });
    expect(us).toMatchObject({ ok: true, identifier: { value: '+12025550123' } });
    expect(cn).not.toEqual(us);
    expect(detected).toMatchObject({ ok: true, identifier: { kind: 'PHONE' } });
    expect(asAccount).toMatchObject({ ok: true, identifier: { kind: 'BANK_ACCOUNT' } });
    const withBic = normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: '0000111148821' }, { bic: 'BARCGHAC' });
    const noBic = normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: '0000111148821' });
    expect(withBic).not.toEqual(noBic);
    expect(normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: '0000111148821' }, { bic: 'BARCGHAC' })).toEqual(withBic);
  });

  it('a kind or an option holding the key separator is answered, never remembered under another key', () => {
    clearIdentifierMemo();
    const odd = normalizeIdentifier({ kind: 'PHONE\u0000defaultRegion=CN' as IdentifierKind, value: '13800138000' });
    expect(odd).toMatchObject({ ok: false, reason: 'UNSUPPORTED_KIND' });
    // the same key, built without the guard, as a value with NULs (refused for them) in region CN
    normalizeIdentifier({ kind: 'PHONE', value: 'x' }, { defaultRegion: 'CN\u0000\u0000a' });
    expect(normalizeIdentifier({ kind: 'PHONE', value: 'a\u0000\u0000x' }, { defaultRegion: 'CN' })).toMatchObject({
      ok: false,
      reason: 'INVALID_CHARACTER',
    });
    expect(normalizeIdentifier({ kind: 'PHONE', value: '13800138000' }, { defaultRegion: 'CN' })).toMatchObject({
      ok: true,
      identifier: { value: '+8613800138000' },
    });
  });

  it('a remembered result cannot be changed through a caller, and hits get their own attributes', () => {
    clearIdentifierMemo();
    const r = normalizeIdentifier({ kind: 'PHONE', value: '13800138000' });
    if (!r.ok || !r.identifier.attributes) throw new Error('expected a phone with attributes');
    const attributes = r.identifier.attributes;
    expect(() => {
      attributes.country = 'XX';
    }).toThrow(TypeError);
    const first = extractIdentifiers('电话13800138000').hits[0];
    (first.attributes as Record<string, unknown>).country = 'XX';
    expect(extractIdentifiers('电话13800138000').hits[0].attributes?.country).toBe('CN');
  });

  it('a number typed in and written again in the narrative is parsed once; a refusal keeps its reason', () => {
    clearIdentifierMemo();
    const parsed: string[] = [];
    libTrace.on = (call, a) => {
      if (call === 'PHONE_PARSE') parsed.push(String(a));
    };
    try {
      expect(normalizeIdentifier({ kind: 'PHONE', value: '13912345678' }).ok).toBe(true);
      expect(extractIdentifiers('联系电话 13912345678').hits.map((h) => h.value)).toEqual(['+8613912345678']);
      expect(parsed).toEqual(['13912345678']);
      // refused without a reason first (extraction's question), then asked with one: the reason is not lost
      expect(normalizePhone('13912345678901', 'CN', false)).toMatchObject({ ok: false, reason: 'INVALID_PHONE' });
      expect(normalizePhone('13912345678901', 'CN', true)).toMatchObject({ ok: false, reason: 'TOO_LONG' });
    } finally {
      libTrace.on = undefined;
    }
  });

  it('normalizeIdentifier answers alike with and without the memo on identifier-like input', () => {
    const value = fc.oneof(
      fc.stringMatching(/^\+?[0-9 -]{3,20}$/),
      fc.constantFrom('13800138000', 'https://Example.com/a?utm_source=x', 'a.b.example.co.uk', 'x@qq.com', '1.2.3.4'),
    );
    const kind = fc.constantFrom<IdentifierKind | undefined>(
      undefined,
      'PHONE',
      'URL',
      'DOMAIN',
      'BANK_ACCOUNT',
      'EMAIL',
      'IP',
    );
    fc.assert(
      fc.property(value, kind, fc.constantFrom('CN', 'US'), (v, k, region) => {
        setIdentifierMemoSize(0);
        const without = normalizeIdentifier({ kind: k, value: v }, { defaultRegion: region });
        setIdentifierMemoSize(DEFAULT_IDENTIFIER_MEMO_SIZE);
        expect(normalizeIdentifier({ kind: k, value: v }, { defaultRegion: region })).toEqual(without);
        expect(normalizeIdentifier({ kind: k, value: v }, { defaultRegion: region })).toEqual(without);
      }),
      { numRuns: 500 },
    );
  });
});
