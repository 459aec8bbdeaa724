// Cache-aside as a service runs it: every Valkey call bounded by the client's command timeout, the database as the
// fallback, and an optional circuit breaker that skips the cache while it keeps failing.

import { createCacheAside, type CacheOutcome, type CacheRead } from '../patterns/cache-aside';
import type { ValkeyClient } from '../valkey/client';
import { createBreaker, type BreakerSettings, type CircuitBreaker } from './breaker';

/**
 * What the service did for one read: a cache-aside outcome, `breaker-open` (the breaker skipped Valkey and the
 * database answered), or `no-cache` (the service runs without a cache).
 */
export type ServiceOutcome = CacheOutcome | 'breaker-open' | 'no-cache';

export interface ServiceRead<T> extends Omit<CacheRead<T>, 'outcome'> {
  outcome: ServiceOutcome;
}

/** How a service talks to its cache: the timeout on every Valkey call, and the breaker (none when undefined). */
export interface ResilienceSettings {
  /** A Valkey command that gets no answer in this long fails, and the database answers instead. */
  timeoutMs: number;
  /** Leave out for no breaker: every request then asks Valkey, however often it failed. */
  breaker?: BreakerSettings;
}

export type ResilientRead = <T>(key: string, ttlSeconds: number, load: () => Promise<T>) => Promise<ServiceRead<T>>;

/**
 * A read through `valkey` (whose command timeout must be `timeoutMs`: see connectValkeyUrl's `commandTimeoutMs`)
 * guarded by `breaker`. Without `valkey` every read goes to the database (`no-cache`).
 */
export function createResilientRead(
  valkey: ValkeyClient | undefined,
  breaker: CircuitBreaker | undefined,
): ResilientRead {
  const cacheAside = valkey ? createCacheAside(valkey) : undefined;
  return async <T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<ServiceRead<T>> => {
    const started = performance.now();
    const direct = async (outcome: ServiceOutcome): Promise<ServiceRead<T>> => ({
      value: await load(),
      outcome,
      key,
      elapsedMs: performance.now() - started,
    });
    if (!cacheAside) return direct('no-cache');
    if (breaker && !breaker.allow()) return direct('breaker-open');
    const read = await cacheAside(key, ttlSeconds, load);
    if (read.outcome === 'cache-error') breaker?.failed();
    else breaker?.succeeded();
    return read;
  };
}

export { createBreaker };
