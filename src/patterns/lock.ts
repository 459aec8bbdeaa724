// Stampede protection with a lock: one request rebuilds (SET NX PX), the others wait politely, and only the holder may release.

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { callWithKey, COMPARE_AND_DELETE_LUA } from '../valkey/conditional';
import { detectFeatures } from '../valkey/features';
import type { ShapeCheck } from './entries';
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

/**
 * Deletes the lock only while it still holds our token. A plain DEL could remove a lock that expired
 * and was taken by someone else in the meantime; GET and DEL in one script cannot be split by another client.
 */
export const RELEASE_LOCK_LUA = COMPARE_AND_DELETE_LUA;

/** How a lock is released: `DELIFEQ key token` (Valkey 9.0 and later) or the Lua compare-and-delete. */
export type LockRelease = 'delifeq' | 'lua';

/**
 * Which release the server supports (`detectFeatures`: DELIFEQ arrived in Valkey 9.0; older Valkey and Redis
 * get the Lua script, which does the same in one atomic step).
 */
export async function detectLockRelease(client: Client): Promise<LockRelease> {
  return (await detectFeatures(client)).has.deleteIfEqual ? 'delifeq' : 'lua';
}

/** A random token (128 bits): it names this holder, so no other request can pass for it. */
export function lockToken(): string {
  return randomBytes(16).toString('hex');
}

/** Takes the lock if it is free: `SET lockKey token NX PX ttlMs`. Returns the token, or null when it is held. */
export async function acquireLock(client: Client, lockKey: string, ttlMs: number): Promise<string | null> {
  requireMs(ttlMs, 'lock ttlMs');
  const token = lockToken();
  const reply = await client.set(lockKey, token, 'PX', ttlMs, 'NX');
  return reply === 'OK' ? token : null;
}

/**
 * Releases the lock if `token` still holds it; returns whether it was deleted. A holder whose lock
 * expired (and was taken by another) gets false and leaves the other's lock alone.
 */
export async function releaseLock(
  client: Client,
  lockKey: string,
  token: string,
  method: LockRelease = 'lua',
): Promise<boolean> {
  if (method === 'delifeq') {
    const reply = await callWithKey(client, 'DELIFEQ', lockKey, token);
    return Number(reply) === 1;
  }
  return Number(await client.eval(RELEASE_LOCK_LUA, 1, lockKey, token)) === 1;
}

/**
 * How long a waiting request sleeps before looking again: exponential from `baseMs`, capped at
 * `capMs`, with half of it random ("equal jitter") so waiters spread out instead of polling in step.
 */
export function backoffMs(attempt: number, baseMs = 5, capMs = 100, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface LockedReadOptions {
  /** How long a rebuilt value lives, in ms. */
  ttlMs: number;
  /** How long the lock lives if its holder never releases it (it died): longer than a load takes. Default 5000. */
  lockTtlMs?: number;
  /** The longest a request waits for another's rebuild before asking the database itself. Default 2 × lockTtlMs. */
  maxWaitMs?: number;
  /** The lock's key for a value's key. Default `<key>:lock`. */
  lockKey?: (key: string) => string;
  /** The release to use; default: ask the server once (`detectLockRelease`). */
  release?: LockRelease;
  /** Backoff of waiting requests: first sleep ≈ baseMs, growing to capMs. Default 5 and 100. */
  backoff?: { baseMs?: number; capMs?: number };
}

/** The lock strategy, plus which release it used (known after the first release). */
export interface LockedStrategy extends StampedeStrategy {
  release(): Promise<LockRelease>;
}

/**
 * Cache-aside where only the request holding the lock rebuilds a missing value. The others wait with
 * backoff and jitter, reading the key again after each sleep; the wait is bounded (`maxWaitMs`), after
 * which a request asks the database itself rather than fail. If the holder dies, its lock expires after
 * `lockTtlMs` and the next waiter to try takes it (`took-over`): SET NX lets exactly one through.
 */
export function createLockedRead(client: Client, options: LockedReadOptions): LockedStrategy {
  requireMs(options.ttlMs, 'ttlMs');
  const lockTtlMs = options.lockTtlMs ?? 5_000;
  const maxWaitMs = options.maxWaitMs ?? 2 * lockTtlMs;
  requireMs(lockTtlMs, 'lockTtlMs');
  requireMs(maxWaitMs, 'maxWaitMs');
  const lockKeyOf = options.lockKey ?? ((key: string) => `${key}:lock`);
  const baseMs = options.backoff?.baseMs ?? 5;
  const capMs = options.backoff?.capMs ?? 100;
  let method: Promise<LockRelease> | undefined = options.release ? Promise.resolve(options.release) : undefined;
  const releaseMethod = () => (method ??= detectLockRelease(client));

  async function rebuild<T>(
    key: string,
    lockKey: string,
    token: string,
    load: () => Promise<T>,
    isValid: ShapeCheck<T> | undefined,
  ) {
    try {
      // Double-check: the value may have landed between our GET and our lock.
      const cached = await readJson(client, key, isValid);
      if (cached.ok) return { value: cached.value, loaded: false };
      const value = await load();
      await storeJson(client, key, value, options.ttlMs);
      return { value, loaded: true };
    } finally {
      await releaseLock(client, lockKey, token, await releaseMethod());
    }
  }

  return {
    name: 'lock',
    release: releaseMethod,
    async read<T>(key: string, load: () => Promise<T>, opts: StampedeReadOptions<T> = {}): Promise<StampedeRead<T>> {
      const started = performance.now();
      const cached = await readJson(client, key, opts.isValid);
      if (cached.ok) return finish(key, started, cached.value, 'hit');
      const { problem } = cached;
      const lockKey = lockKeyOf(key);
      for (let attempt = 0; ; attempt++) {
        const token = await acquireLock(client, lockKey, lockTtlMs);
        if (token) {
          const { value, loaded } = await rebuild(key, lockKey, token, load, opts.isValid);
          const outcome = !loaded ? (attempt === 0 ? 'hit' : 'waited') : attempt === 0 ? 'loaded' : 'took-over';
          return finish(key, started, value, outcome, { polls: attempt, problem });
        }
        const left = maxWaitMs - (performance.now() - started);
        if (left <= 0) {
          // Waited long enough: answer from the database rather than fail, and leave the cache to the holder.
          return finish(key, started, await load(), 'gave-up', { polls: attempt, problem });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(left, backoffMs(attempt, baseMs, capMs))));
        const now = await readJson(client, key, opts.isValid);
        if (now.ok) return finish(key, started, now.value, 'waited', { polls: attempt + 1, problem });
      }
    },
    async prime<T>(key: string, load: () => Promise<T>, expiresInMs: number) {
      requireMs(expiresInMs, 'expiresInMs');
      await storeJson(client, key, await load(), expiresInMs);
    },
  };
}
