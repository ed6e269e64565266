/**
 * The chains of wallet-chains.ts: addresses from the chains' own documentation and from EtherScamDB, each
 * accepted with its chain, and one-character mutations refused by the checksum.
 */
import bs58check from 'bs58check';
import { normalizeIdentifier, noticeWarning, type NormalizeOptions } from './index';

const wallet = (value: string, opts?: NormalizeOptions) => normalizeIdentifier({ kind: 'CRYPTO_WALLET', value }, opts);

describe('CRYPTO_WALLET beyond ETH/BTC/TRON/XRP', () => {
  it.each([
    ['ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf', 'NEO', 'ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf'], // 19 EtherScamDB records
    ['NfgHwwTi3wHAS8aFAN243C5vGbkYDpqLHP', 'NEO', 'NfgHwwTi3wHAS8aFAN243C5vGbkYDpqLHP'], // NEO N3
    ['LaXXasBpGtqnzi7AMywnujYeD3BFD1NFv2', 'LTC', 'LaXXasBpGtqnzi7AMywnujYeD3BFD1NFv2'],
    ['MMdDAFeUu7saKRZKzy6H855jp5sWvP7zUp', 'LTC', 'MMdDAFeUu7saKRZKzy6H855jp5sWvP7zUp'],
    // base58 with a bech32-looking start ("ltc1" in mixed case), found by crypto-wallet.spec's property
    ['LTc11117q1C7eEDe5ht69JHt2wHuLQeqVR', 'LTC', 'LTc11117q1C7eEDe5ht69JHt2wHuLQeqVR'],
    ['qrxz0w4mlc2dzaxqet0397uga46tj6gkuct9xnz2z5', 'BCH', 'qrxz0w4mlc2dzaxqet0397uga46tj6gkuct9xnz2z5'],
    ['bitcoincash:QRXZ0W4MLC2DZAXQET0397UGA46TJ6GKUCT9XNZ2Z5', 'BCH', 'qrxz0w4mlc2dzaxqet0397uga46tj6gkuct9xnz2z5'],
    [
      'GBEI5U4S27SP6YMOTYPQBRCPLMVUNP64M5ELQQ5VB4S43FLWPULJTU2Y',
      'XLM',
      'GBEI5U4S27SP6YMOTYPQBRCPLMVUNP64M5ELQQ5VB4S43FLWPULJTU2Y',
    ],
    [
      '47v1cXsUdPN6vLeCwzCFAbAw8VjNEoMXSfLMpGkg76z9jPVM1wxxpmmjUvGDxnZQak4TqDM15MPbcPnhMcFu8TXAB6wugV1',
      'XMR',
      '47v1cXsUdPN6vLeCwzCFAbAw8VjNEoMXSfLMpGkg76z9jPVM1wxxpmmjUvGDxnZQak4TqDM15MPbcPnhMcFu8TXAB6wugV1',
    ],
    ['tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx', 'XTZ', 'tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx'],
    // Sia's void address: 32 zero bytes and the first 6 bytes of their BLAKE2b-256
    ['0'.repeat(64) + '89eb0d6a8a69', 'SIA', '0'.repeat(64) + '89eb0d6a8a69'],
    ['bnb160943aa8wjfwzq52snqe3dpzq3mgcxlfjm2d7y', 'BNB', 'bnb160943aa8wjfwzq52snqe3dpzq3mgcxlfjm2d7y'],
    ['XrE5MMmXD1ShEKh9jBbhEiTGCLg2BLsd5r', 'DASH', 'XrE5MMmXD1ShEKh9jBbhEiTGCLg2BLsd5r'],
    ['t1KAedN3mupcum5ffF7DF5KNz27vRB9pYnr', 'ZEC', 't1KAedN3mupcum5ffF7DF5KNz27vRB9pYnr'],
  ])('%s is a %s wallet', (input, chain, canonical) => {
    const r = wallet(input);
    expect(r).toMatchObject({
      ok: true,
      identifier: { kind: 'CRYPTO_WALLET', value: canonical, attributes: { chain } },
    });
    // detected without a kind too
    expect(normalizeIdentifier({ value: input })).toMatchObject({ ok: true, identifier: { value: canonical } });
  });

  it('refuses one-character mutations by the checksum', () => {
    for (const [good, bad] of [
      ['ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf', 'ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeab'],
      ['qrxz0w4mlc2dzaxqet0397uga46tj6gkuct9xnz2z5', 'qrxz0w4mlc2dzaxqet0397uga46tj6gkuct9xnz2z4'],
      [
        'GBEI5U4S27SP6YMOTYPQBRCPLMVUNP64M5ELQQ5VB4S43FLWPULJTU2Y',
        'GBEI5U4S27SP6YMOTYPQBRCPLMVUNP64M5ELQQ5VB4S43FLWPULJTU2A',
      ],
      ['tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSx', 'tz1KqTpEZ7Yob7QbPE4Hy4Wo8fHG8LhKxZSy'],
      ['0'.repeat(64) + '89eb0d6a8a69', '0'.repeat(64) + '89eb0d6a8a68'],
      ['bnb160943aa8wjfwzq52snqe3dpzq3mgcxlfjm2d7y', 'bnb160943aa8wjfwzq52snqe3dpzq3mgcxlfjm2d7z'],
    ]) {
      expect(wallet(good).ok).toBe(true);
      expect(wallet(bad)).toMatchObject({ ok: false, reason: 'BAD_CHECKSUM' });
    }
    const xmr = '47v1cXsUdPN6vLeCwzCFAbAw8VjNEoMXSfLMpGkg76z9jPVM1wxxpmmjUvGDxnZQak4TqDM15MPbcPnhMcFu8TXAB6wugV1';
    expect(wallet(`${xmr.slice(0, 50)}${xmr[50] === 'a' ? 'b' : 'a'}${xmr.slice(51)}`).ok).toBe(false);
  });

  it('reads base58check version bytes as bs58check encodes them', () => {
    const body = Uint8Array.from({ length: 20 }, (_, i) => i * 7);
    const enc = (prefix: number[]) => bs58check.encode(Uint8Array.from([...prefix, ...body]));
    expect(wallet(enc([0x17]))).toMatchObject({ ok: true, identifier: { attributes: { chain: 'NEO' } } });
    expect(wallet(enc([0x32]))).toMatchObject({ ok: true, identifier: { attributes: { chain: 'LTC' } } });
    expect(wallet(enc([0x1c, 0xbd]))).toMatchObject({ ok: true, identifier: { attributes: { chain: 'ZEC' } } });
    expect(wallet(enc([0x02, 0x5a, 0x79]))).toMatchObject({ ok: true, identifier: { attributes: { chain: 'XTZ' } } });
    expect(wallet(enc([0x99])).ok).toBe(false); // a version no chain here uses
  });

  it('EOS account names only when the source says EOS', () => {
    expect(wallet('eosio.token', { coin: 'EOS' })).toMatchObject({
      ok: true,
      identifier: { value: 'eosio.token', attributes: { chain: 'EOS' } },
    });
    expect(wallet('gm4tcnrygqge').ok).toBe(false);
    expect(wallet('toolongname12345', { coin: 'EOS' }).ok).toBe(false);
  });

  it('keeps a wallet a source gives for an unknown coin as an opaque value, never a corrupt or non-address', () => {
    const axb = wallet('AxB7d9E1c0ffee0000000000000000000000001234', { coin: 'AXB' });
    expect(axb).toMatchObject({
      ok: true,
      identifier: {
        value: 'AxB7d9E1c0ffee0000000000000000000000001234',
        attributes: { chain: 'AXB', validated: false },
      },
    });
    expect(axb.ok && noticeWarning(axb.identifier)).toMatch(/kept as written/);
    // a Cardano address in an ETH record: the coin's check refuses it, so its chain is unknown
    const ada = wallet('Ae2tdPwUPEZGpHCMV2L7iMY4vUGX6Pzx5U2YgQD1wK7ZUzKVmgg5RRmp2dF', { coin: 'ETH' });
    expect(ada).toMatchObject({ ok: true, identifier: { attributes: { chain: 'UNKNOWN', statedCoin: 'ETH' } } });
    expect(wallet('Ae2tdPwUPEZGpHCMV2L7iMY4vUGX6Pzx5U2YgQD1wK7ZUzKVmgg5RRmp2dF').ok).toBe(false); // no coin: no guess
    // a bad checksum, a transaction hash and a short word are refused even with a coin
    expect(wallet('1Mn386ue8o3mW9866octLNP8HFqcYsphJCV', { coin: 'ETH' })).toMatchObject({ reason: 'BAD_CHECKSUM' });
    expect(wallet(`0x${'ab'.repeat(32)}`, { coin: 'ETH' })).toMatchObject({ reason: 'TOO_LONG' });
    expect(wallet('hello', { coin: 'AXB' }).ok).toBe(false);
  });
});
