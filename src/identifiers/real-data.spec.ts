/**
 * Real public data from ../shared/data (SHARED_DATA_DIR overrides), used as it is.
 * The exact per-outcome counts below were obtained by running these normalisers once over the files
 * (2025-11-27, libphonenumber-js 1.13.16 max metadata, tldts 7.6.0) and are cross-checked against facts that
 * are independent of the code (blank and non-10-digit counts from the data README, the most-reported number).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import yaml from 'js-yaml';
import { normalizeIdentifier, warninglistLookup, type NormalizeResult } from './index';

const DATA = process.env.SHARED_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');

function tally(results: NormalizeResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const k = r.ok ? 'OK' : r.reason;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

describe('FTC Do-Not-Call complaints (US phones)', () => {
  const rows = parse<Record<string, string>>(readFileSync(path.join(DATA, 'dnc_complaint_numbers_2021-07-08.csv')), {
    columns: true,
    bom: true,
  });
  const phones = rows.map((r) => r.Company_Phone_Number);
  const results = phones.map((p) => normalizeIdentifier({ kind: 'PHONE', value: p }, { defaultRegion: 'US' }));

  it('gives every row a canonical US phone or a reason, with these exact counts', () => {
    expect(rows).toHaveLength(14034);
    expect(tally(results)).toEqual({
      OK: 13110,
      EMPTY: 669,
      TOO_LONG: 83,
      TOO_SHORT: 74,
      INVALID_PHONE: 81,
      UNKNOWN_FORMAT: 17,
    });
  });

  it('is consistent with independent facts of the file', () => {
    // README: 669 blank numbers — exactly the EMPTY outcomes
    const blank = phones.filter((p) => p.trim() === '').length;
    expect(blank).toBe(669);
    results.forEach((r, i) => expect(!r.ok && r.reason === 'EMPTY').toBe(phones[i].trim() === ''));
    // README: 172 non-blank values are not 10 characters long
    const not10 = phones.filter((p) => p !== '' && p.length !== 10);
    expect(not10).toHaveLength(172);
    // every 10-digit value is accepted or is an invalid number of the North American plan, never a length error
    phones.forEach((p, i) => {
      const r = results[i];
      if (/^\d{10}$/.test(p)) expect(r.ok || r.reason === 'INVALID_PHONE').toBe(true);
      if (/[A-Za-z*;,?`]/.test(p)) expect(r.ok).toBe(false); // letters, masks, lists are never one number
      if (r.ok) expect(r.identifier.value).toMatch(/^\+1\d{10}$/);
    });
    // shorter than 10 digits can never be a complete US number
    phones.forEach((p, i) => {
      if (/^\d{1,9}$/.test(p)) expect(results[i]).toMatchObject({ ok: false, reason: 'TOO_SHORT' });
    });
    // +1 315-232-8257 has 42 complaints
    const counts = new Map<string, number>();
    for (const r of results) if (r.ok) counts.set(r.identifier.value, (counts.get(r.identifier.value) ?? 0) + 1);
    expect(counts.get('+13152328257')).toBe(42);
    expect(Math.max(...counts.values())).toBe(42);
    expect(counts.size).toBe(11674);
  });
});

describe('Taiwan 165 bank-account list', () => {
  const lines = readFileSync(path.join(DATA, 'GetFromGovernmentInf_BankAccount.txt'), 'utf8').split(/\r?\n/);
  const rows = lines
    .slice(1) // the first line is the snapshot date ",2023/11/16,,"
    .filter((l) => l !== '')
    .map((l) => {
      const [account, category, bic] = l.split(',');
      return { account, category, bic };
    });
  const results = rows.map((r) => normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: r.account }, { bic: r.bic }));

  it('accepts or rejects every row with these exact counts', () => {
    expect(lines[0]).toBe(',2023/11/16,,');
    expect(rows).toHaveLength(2463);
    expect(tally(results)).toEqual({ OK: 2445, INVALID_BIC: 13, BAD_CHECKSUM: 3, UNKNOWN_FORMAT: 2 });
  });

  it('collapses BIC8 / BIC11 variants of the same account into one canonical value', () => {
    const rawPairs = new Set(rows.map((r) => `${r.account.trim()}|${r.bic}`));
    const canonical = new Set(results.filter((r) => r.ok).map((r) => (r.ok ? r.identifier.value : '')));
    expect(rawPairs.size).toBe(2112);
    expect(canonical.size).toBe(2059);
    // the DBS Singapore rows: same account with DBSSSGSG and DBSSSGSGXXX
    const dbs = rows.map((r, i) => ({ r, res: results[i] })).filter(({ r }) => r.bic.startsWith('DBSSSGSG'));
    const variants = new Set(dbs.map(({ r }) => r.bic));
    expect(variants).toEqual(new Set(['DBSSSGSG', 'DBSSSGSGXXX']));
    const accountBoth = dbs.find(({ r }) => r.account === '0003012847013022' && r.bic === 'DBSSSGSGXXX');
    const accountShort = dbs.find(({ r }) => r.account === '0003012847013022' && r.bic === 'DBSSSGSG');
    expect(accountBoth?.res).toMatchObject({ ok: true, identifier: { value: 'DBSSSGSG:0003012847013022' } });
    expect(accountShort?.res).toMatchObject({ ok: true, identifier: { value: 'DBSSSGSG:0003012847013022' } });
    // every accepted value of a DBS row carries BIC8 and no branch
    for (const { res } of dbs) {
      expect(res.ok && res.identifier.value.startsWith('DBSSSGSG:')).toBe(true);
    }
    // collapsing: distinct (account, BIC8) pairs computed independently of the normaliser
    const independent = new Set(
      rows
        .filter(
          (_, i) =>
            results[i].ok &&
            !(results[i] as { identifier: { attributes?: { iban?: boolean } } }).identifier.attributes?.iban,
        )
        .map((r) => `${r.bic.trim().toUpperCase().slice(0, 8)}:${r.account.trim()}`),
    );
    const nonIban = new Set(
      results.filter((r) => r.ok && !r.identifier.attributes?.iban).map((r) => (r.ok ? r.identifier.value : '')),
    );
    expect(nonIban).toEqual(independent);
  });
});

describe('EtherScamDB', () => {
  const records = yaml.load(readFileSync(path.join(DATA, 'scams.yaml'), 'utf8')) as {
    id: number;
    url?: string;
    coin?: string;
    addresses?: unknown[];
  }[];
  const addresses = records.flatMap((r) => (r.addresses ?? []).map(String));
  const results = addresses.map((a) => normalizeIdentifier({ kind: 'CRYPTO_WALLET', value: a }));

  it('makes every address canonical or rejects it with a reason (exact counts)', () => {
    expect(records).toHaveLength(6912);
    expect(addresses).toHaveLength(3251);
    expect(tally(results)).toEqual({
      OK: 3246,
      TOO_LONG: 3,
      UNKNOWN_FORMAT: 1,
      BAD_CHECKSUM: 1,
    });
    const chains: Record<string, number> = {};
    for (const r of results)
      if (r.ok)
        chains[r.identifier.attributes?.chain as string] = (chains[r.identifier.attributes?.chain as string] ?? 0) + 1;
    expect(chains).toEqual({
      ETH: 2810,
      BTC: 305,
      TRON: 27,
      XRP: 48,
      LTC: 15,
      NEO: 20,
      BCH: 11,
      XMR: 3,
      ZEC: 2,
      BNB: 3,
      DASH: 1,
      XLM: 1,
    });
    // independent: every 0x + 40 hex address is accepted unless its mixed case breaks EIP-55
    addresses.forEach((a, i) => {
      if (/^0x[0-9a-f]{40}$/.test(a) || /^0x[0-9A-F]{40}$/.test(a.replace(/^0x/, '0x')))
        expect(results[i].ok).toBe(true);
      const r = results[i];
      if (r.ok && r.identifier.attributes?.chain === 'ETH') expect(r.identifier.value).toBe(a.toLowerCase());
      if (/^0x[0-9a-fA-F]{64}$/.test(a)) expect(r).toMatchObject({ ok: false, reason: 'TOO_LONG' }); // tx hashes
    });
  });

  it('keeps every address a record gives with its coin but corrupt ones and transaction hashes', () => {
    const given = records.flatMap((r) =>
      (r.addresses ?? []).map((a) => ({
        a: String(a),
        r: normalizeIdentifier({ kind: 'CRYPTO_WALLET', value: String(a) }, { coin: r.coin }),
      })),
    );
    // independent of the checks: a 0x + 64 hex value is a transaction hash, '1Mn386…' fails its BTC checksum
    const notWallets = given.filter(
      ({ a }) => /^0x[0-9a-fA-F]{64}$/.test(a) || a === '1Mn386ue8o3mW9866octLNP8HFqcYsphJCV',
    );
    expect(notWallets).toHaveLength(4);
    expect(given.filter(({ r }) => !r.ok).map(({ a }) => a)).toEqual(notWallets.map(({ a }) => a));
    expect(given.filter(({ r }) => r.ok && r.identifier.attributes?.validated === false).map(({ a }) => a)).toEqual([
      'Ae2tdPwUPEZGpHCMV2L7iMY4vUGX6Pzx5U2YgQD1wK7ZUzKVmgg5RRmp2dF',
    ]);
    // the NEO address shared by 19 records (counted on the raw file) is one canonical value in each
    const neo = 'ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf';
    const raw = records.filter((r) => (r.addresses ?? []).map(String).includes(neo));
    expect(raw).toHaveLength(19);
    expect(given.filter(({ r }) => r.ok && r.identifier.value === neo)).toHaveLength(19);
  });

  it('keeps every URL but one that is not http(s) and one that does not parse; the retired-TLD ones without a DOMAIN', () => {
    const urls = records.filter((r) => typeof r.url === 'string').map((r) => r.url as string);
    const res = urls.map((u) => normalizeIdentifier({ kind: 'URL', value: u }));
    expect(tally(res)).toEqual({ OK: urls.length - 2, UNSUPPORTED_SCHEME: 1, UNKNOWN_FORMAT: 1 });
    const withoutDomain = res.filter((r) => r.ok && r.identifier.attributes?.registrableDomain === false);
    expect(withoutDomain).toHaveLength(153);
    for (const r of withoutDomain) expect(r.ok && r.derived).toEqual([]);
  });

  it('warninglists twitter.com as a platform DOMAIN while keeping each tweet URL distinct', () => {
    const tw = records
      .filter((r) => typeof r.url === 'string')
      .map((r) => normalizeIdentifier({ kind: 'URL', value: r.url as string }))
      .filter((r) => r.ok && r.derived.some((d) => d.value === 'twitter.com'));
    expect(tw).toHaveLength(17); // README: 17 reports point at twitter.com URLs
    for (const r of tw) {
      if (!r.ok) throw new Error('unreachable');
      const domain = r.derived.find((d) => d.kind === 'DOMAIN');
      expect(domain && warninglistLookup(domain)).toMatchObject({ category: 'platform:social' });
      expect(warninglistLookup(r.identifier)).toBeUndefined();
    }
    expect(new Set(tw.map((r) => (r.ok ? r.identifier.value : ''))).size).toBeGreaterThan(1);
  });
});
