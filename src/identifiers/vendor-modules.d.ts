/**
 * Types of the two wallet libraries that ship none for what is used here: cashaddrjs, and the strkey module of
 * @stellar/stellar-base (imported alone: the package index loads every XDR definition, ~200 ms at start-up).
 */
declare module 'cashaddrjs' {
  const cashaddr: {
    /** throws on a bad prefix, character or checksum */
    decode(address: string): { prefix: string; type: 'P2PKH' | 'P2SH'; hash: Uint8Array };
  };
  export default cashaddr;
}

declare module '@stellar/stellar-base/lib/strkey' {
  export const StrKey: { isValidEd25519PublicKey(key: string): boolean };
}
