import { createHash } from 'node:crypto';
import { contentDigest, importId } from './content-key';

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

const RECORD = {
  id: 4131,
  name: 'idice.epizy.com',
  url: 'http://idice.epizy.com',
  coin: 'ETH',
  category: 'Phishing',
  subcategory: 'Idice',
  description: 'Fake idice GUI',
  addresses: ['0x9b2D66562bea3EefEc436dF0Fee88Dd89CbE547b'],
  reporter: 'MyCrypto',
};

describe('contentDigest', () => {
  // Pinned: a digest decides report ids in every store; if it changes, a re-import adds every record again.
  it('is the SHA-256 of the RFC 8785 canonical JSON of the record (keys sorted, no spaces), 16 hex', () => {
    expect(contentDigest('etherscamdb', RECORD)).toBe(
      sha(
        '{"addresses":["0x9b2D66562bea3EefEc436dF0Fee88Dd89CbE547b"],"category":"Phishing","coin":"ETH",' +
          '"description":"Fake idice GUI","id":4131,"name":"idice.epizy.com","reporter":"MyCrypto",' +
          '"subcategory":"Idice","url":"http://idice.epizy.com"}',
      ),
    );
  });

  it('does not depend on field order, and takes undefined and null fields as absent, at any depth', () => {
    const reversed = Object.fromEntries(Object.entries(RECORD).reverse());
    expect(contentDigest('etherscamdb', reversed)).toBe(contentDigest('etherscamdb', RECORD));
    expect(contentDigest('etherscamdb', { ...RECORD, reporter: undefined, extra: null })).toBe(
      contentDigest('etherscamdb', { ...RECORD, reporter: undefined }),
    );
    const jsonl = (kind?: string | null) => ({
      fraudType: 'FAKE_LOAN',
      occurredAt: new Date('2026-01-02T03:04:05Z'),
      identifiers: [{ kind, value: '13800138000' }],
    });
    expect(contentDigest('jsonl', jsonl(null))).toBe(contentDigest('jsonl', jsonl(undefined)));
    expect(contentDigest('jsonl', jsonl(null))).toBe(
      sha('{"fraudType":"FAKE_LOAN","identifiers":[{"value":"13800138000"}],"occurredAt":"2026-01-02T03:04:05.000Z"}'),
    );
  });

  it('tells apart records that differ in any field', () => {
    const d = contentDigest('etherscamdb', RECORD);
    expect(contentDigest('etherscamdb', { ...RECORD, name: 'xn--myetherrwalet-5hc.net' })).not.toBe(d);
    expect(contentDigest('etherscamdb', { ...RECORD, addresses: [] })).not.toBe(d);
    expect(contentDigest('etherscamdb', { ...RECORD, id: 4132 })).not.toBe(d);
  });

  it('tw165: the BIC8 and BIC11 spellings of an entry are one content, another category is another', () => {
    const entry = { account: '0003012847013022', category: '假投資', bic: 'DBSSSGSG' };
    expect(contentDigest('tw165', entry)).toBe(
      sha('{"account":"0003012847013022","bic":"DBSSSGSG","category":"假投資"}'),
    );
    expect(contentDigest('tw165', { ...entry, bic: 'DBSSSGSGXXX' })).toBe(contentDigest('tw165', entry));
    expect(contentDigest('tw165', { ...entry, bic: ' dbsssgsg' })).toBe(contentDigest('tw165', entry));
    expect(contentDigest('tw165', { ...entry, category: '假交友(投資詐財)' })).not.toBe(contentDigest('tw165', entry));
  });
});

describe('importId', () => {
  it('is <source>:<externalRef>, or <source>:<externalRef>~<digest> for another content of a taken id', () => {
    expect(importId('etherscamdb', '4131')).toBe('etherscamdb:4131');
    expect(importId('tw165', '0003012847013022:DBSSSGSG', 'b453a41524aa4ba5')).toBe(
      'tw165:0003012847013022:DBSSSGSG~b453a41524aa4ba5',
    );
  });
});
