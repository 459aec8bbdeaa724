// In-process request coalescing: concurrent misses on one key in this process share a single load.

import { performance } from 'node:perf_hooks';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import {
  finish,
  readJson,
  requireMs,
  storeJson,
  type StampedeRead,
  type StampedeReadOptions,
  type StampedeStrategy,
} from './stampede';

type Client = Redis | Cluster;

export interface CoalescedStrategy extends StampedeStrategy {
  /** Keys being loaded right now in this process. */
  inFlight(): string[];
}

/**
 * Cache-aside where a miss first looks for a load of the same key already running in this process and
 * awaits it instead of starting another. It costs no extra round trip and no lock, but it only sees this
 * process: N application processes still send up to N loads per expiry.
 */
export function createCoalescedRead(client: Client, options: { ttlMs: number }): CoalescedStrategy {
  requireMs(options.ttlMs, 'ttlMs');
  const loading = new Map<string, Promise<unknown>>();
  return {
    name: 'coalescing',
    inFlight: () => [...loading.keys()],
    async read<T>(key: string, load: () => Promise<T>, opts: StampedeReadOptions<T> = {}): Promise<StampedeRead<T>> {
      const started = performance.now();
      const cached = await readJson(client, key, opts.isValid);
      if (cached.ok) return finish(key, started, cached.value, 'hit');
      const { problem } = cached;
      const running = loading.get(key) as Promise<T> | undefined;
      if (running) return finish(key, started, await running, 'coalesced', { problem });
      const loadAndStore = (async () => {
        const value = await load();
        await storeJson(client, key, value, options.ttlMs);
        return value;
      })();
      // Forget the load once it has settled (stored or failed), so the next expiry loads afresh and a
      // failed load is not served to later requests.
      loading.set(
        key,
        loadAndStore.finally(() => loading.delete(key)),
      );
      return finish(key, started, await loadAndStore, 'loaded', { problem });
    },
    async prime<T>(key: string, load: () => Promise<T>, expiresInMs: number) {
      requireMs(expiresInMs, 'expiresInMs');
      await storeJson(client, key, await load(), expiresInMs);
    },
  };
}
