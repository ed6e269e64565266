/**
 * Public risk of an identifier and its k-anonymous report-count band. Pure functions of the stored
 * statistics (identifier_stats), unit-tested in risk.spec.ts; the README paragraph "Lookup risk scoring"
 * describes the same rules.
 *
 * Recency: every distinct reporter's weight decays exponentially with the age of the fraud it reported
 * (occurredAt), half-life {@link RISK_HALF_LIFE_DAYS}: numbers are recycled, a report from two years ago
 * says little about today's owner. To keep the stored aggregate additive and order-independent (it is built
 * one report at a time), it is kept as Σ wᵢ·2^((tᵢ − epoch)/H) ("weight at epoch terms"); the decayed weight
 * at time `now` is that sum × 2^(−(now − epoch)/H).
 */
export const RISK_HALF_LIFE_DAYS = 180;
const DAY_MS = 86_400_000;
const HALF_LIFE_MS = RISK_HALF_LIFE_DAYS * DAY_MS;
/** Reference point of the stored decay terms; any fixed instant works, this one keeps the exponents small. */
export const DECAY_EPOCH_MS = Date.UTC(2020, 0, 1);

export enum RiskLevelValue {
  NONE = 'NONE',
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CONFIRMED = 'CONFIRMED',
}

/** The term one reporter of weight `weight` adds for a fraud that occurred at `occurredAt`. */
export function decayTerm(weight: number, occurredAt: Date): number {
  return weight * Math.pow(2, (occurredAt.getTime() - DECAY_EPOCH_MS) / HALF_LIFE_MS);
}

/** The decayed weighted-reporter sum at `now`, from the stored sum of decay terms. */
export function decayedWeight(sumOfTerms: number, now: Date): number {
  return sumOfTerms * Math.pow(2, -(now.getTime() - DECAY_EPOCH_MS) / HALF_LIFE_MS);
}

export interface RiskInput {
  /** distinct reporters (a repeat from the same reporter counts once) */
  reporterCount: number;
  /** Σ weight·2^((occurredAt − epoch)/H) over distinct reporters */
  weightTerms: number;
  /** total stated loss of the counted (non-repeat) reports, fen */
  lossFen: number;
  /** set by an investigator */
  confirmed: boolean;
}

/** Thresholds of the score (see {@link riskScore}). */
export const RISK_THRESHOLDS = { MEDIUM: 2, HIGH: 5 } as const;
/** HIGH needs at least this many distinct reporters, whatever the score: one source can never make HIGH. */
export const HIGH_MIN_REPORTERS = 3;

/**
 * score = R + min(3, log10(1 + loss/1000 yuan)), where R is the decayed weighted count of distinct reporters.
 * The loss term adds 0.3 for 1,000 yuan, 1 for 9,000, 2 for 99,000 and at most 3.
 */
export function riskScore(input: RiskInput, now: Date): number {
  const r = decayedWeight(input.weightTerms, now);
  const lossYuan = Math.max(0, input.lossFen) / 100;
  return r + Math.min(3, Math.log10(1 + lossYuan / 1000));
}

/**
 * CONFIRMED when an investigator confirmed it; NONE without any report; otherwise LOW, MEDIUM from score 2,
 * HIGH from score 5 AND at least 3 distinct reporters.
 */
export function riskLevel(input: RiskInput, now: Date): RiskLevelValue {
  if (input.confirmed) return RiskLevelValue.CONFIRMED;
  if (input.reporterCount <= 0) return RiskLevelValue.NONE;
  // + 1e-9: the decay terms are floats; two fresh reporters must score 2, not 1.9999999999
  const score = riskScore(input, now) + 1e-9;
  if (score >= RISK_THRESHOLDS.HIGH && input.reporterCount >= HIGH_MIN_REPORTERS) return RiskLevelValue.HIGH;
  if (score >= RISK_THRESHOLDS.MEDIUM) return RiskLevelValue.MEDIUM;
  return RiskLevelValue.LOW;
}

/**
 * k-anonymous band of a count of distinct reporters: "0", "<k", then [k, 4k−1], [4k, 20k−1], "20k+".
 * With the default k = 5: "0", "<5", "5-19", "20-99", "100+". Exact counts are for staff only.
 */
export function countBand(count: number, k: number): string {
  if (!Number.isFinite(count) || count <= 0) return '0';
  if (count < k) return `<${k}`;
  if (count < 4 * k) return `${k}-${4 * k - 1}`;
  if (count < 20 * k) return `${4 * k}-${20 * k - 1}`;
  return `${20 * k}+`;
}
