/**
 * Linking engine core (issue 6): plain TypeScript, no Nest. The wiring layer provides a mongoose LinkStore
 * adapter, serialises operations through Redis and publishes the returned LinkEvents.
 */
export * from './types';
export { type LinkStore, InMemoryLinkStore, type OpCounts, type LinkCollection } from './store';
export { LinkingEngine, DEFAULT_PAGE_SIZE, DEFAULT_TOP_IDENTIFIERS, type LinkingEngineOptions } from './engine';
export { capFor, endsAboveCap, kindOfKey, identifierStatus, isLinkableStatus, type DegreeCaps } from './rules';
export { emptySummary, summarize, mergeSummaries } from './summary';
export { MemberLists } from './member-lists';
export {
  referencePartition,
  canonicalPartition,
  edgesInForce,
  verifyStore,
  type ReferenceInput,
  type Partition,
  type VerifyResult,
  type VerifyDifference,
} from './reference';
export { checkInvariants } from './invariants';
export { DEFAULT_EXPLAIN_MAX_VISITED, type LinkExplanation, type LinkStep } from './graph';
