// The caching patterns the lab book teaches, each a small function over a Valkey client.

export * from './cache-aside';
export {
  createUnprotectedRead,
  runStampedeDrill,
  summarizeStampede,
  STAMPEDE_OUTCOMES,
  type StampedeDrillOptions,
  type StampedeOutcome,
  type StampedeRead,
  type StampedeReadOptions,
  type StampedeRun,
  type StampedeStrategy,
  type StampedeStrategyName,
  type StampedeSummary,
  type StrategyOptions,
} from './stampede';
export {
  acquireLock,
  backoffMs,
  createLockedRead,
  detectLockRelease,
  releaseLock,
  RELEASE_LOCK_LUA,
  lockToken,
  type LockedReadOptions,
  type LockedStrategy,
  type LockRelease,
} from './lock';
export {
  createEarlyRefreshRead,
  shouldRefreshEarly,
  type EarlyRefreshCondition,
  type EarlyRefreshEntry,
  type EarlyRefreshOptions,
} from './early-refresh';
export { createCoalescedRead, type CoalescedStrategy } from './coalesce';
export * from './tags';
export * from './warming';
export * from './write-through';
export * from './write-behind';
export * from './write-behind-drill';
export * from './near-cache';
export * from './hierarchy';
export * from './hit-rate';
export * from './codecs';
