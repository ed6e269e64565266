import type { NormalizedIdentifier } from './kinds';

export interface ExtractHit extends NormalizedIdentifier {
  /** start offset in the original text, UTF-16 code units */
  start: number;
  /** end offset (exclusive) in the original text, UTF-16 code units */
  end: number;
  /** 0..1; typed-in identifiers are 1.0, narrative hits lower (see CONFIDENCE in extract.ts) */
  confidence: number;
}

export interface Redaction {
  start: number;
  end: number;
  kind: 'CN_RESIDENT_ID';
}

export interface ExtractResult {
  hits: ExtractHit[];
  redactions: Redaction[];
  /** the original text with each redaction replaced by the same number of '*' (offsets stay valid) */
  redactedText: string;
}
