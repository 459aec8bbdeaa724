// Probabilistic early refresh (XFetch): a request may recompute a value before it expires, more likely the nearer expiry is.

import { performance } from 'node:perf_hooks';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { LabError } from '../errors';
import { shaped } from './entries';
import {
  finish,
  readJson,
  requireMs,
  type StampedeRead,
  type StampedeReadOptions,
  type StampedeStrategy,
} from './stampede';

type Client = Redis | Cluster;

/** What is stored: the value, how long computing it took (Δ, ms) and when it expires (epoch ms). */
export interface EarlyRefreshEntry<T> {
  value: T;
  deltaMs: number;
  expiresAt: number;
}

/**
 * The XFetch test: recompute when `now − Δ·β·ln(rand) ≥ expiry`. Since ln(rand) < 0, each request
 * looks a random distance ahead, scaled by how long a recompute takes (Δ) and by β (> 1 refreshes
 * earlier, < 1 later); far from expiry almost no request refreshes, close to it almost every one would.
 */
export function shouldRefreshEarly(
  nowMs: number,
  entry: { deltaMs: number; expiresAt: number },
  beta = 1,
  random: () => number = Math.random,
): boolean {
  // 1 − random() lies in (0, 1], so the logarithm is finite.
  return nowMs - entry.deltaMs * beta * Math.log(1 - random()) >= entry.expiresAt;
}

/** The XFetch test's shape: should a request at `nowMs` recompute this entry now? */
export type EarlyRefreshCondition = (
  nowMs: number,
  entry: { deltaMs: number; expiresAt: number },
  beta: number,
  random: () => number,
) => boolean;

export interface EarlyRefreshOptions {
  /** How long a recomputed value lives, in ms. */
  ttlMs: number;
  /** XFetch's β. Default 1. */
  beta?: number;
  /** The test itself. Default `shouldRefreshEarly`; a notebook's exercise passes the learner's. */
  refreshEarly?: EarlyRefreshCondition;
  /** Sources of time and chance, replaceable in tests. */
  now?: () => number;
  random?: () => number;
}

function isEntry(value: unknown): value is EarlyRefreshEntry<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'value' in value &&
    typeof (value as EarlyRefreshEntry<unknown>).deltaMs === 'number' &&
    typeof (value as EarlyRefreshEntry<unknown>).expiresAt === 'number'
  );
}

/**
 * Reads that refresh a hot value before it expires, without any coordination between requests: the
 * key (stored with the same expiry) rarely goes missing under steady traffic. Each refresh is one
 * database call, and nothing stops two requests from rolling a refresh at once.
 */
export function createEarlyRefreshRead(client: Client, options: EarlyRefreshOptions): StampedeStrategy {
  requireMs(options.ttlMs, 'ttlMs');
  const beta = options.beta ?? 1;
  if (!(beta > 0))
    throw new LabError({ what: `beta must be > 0, got ${beta}`, fix: 'Use 1 unless you measured why not.' });
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const refreshEarly = options.refreshEarly ?? shouldRefreshEarly;

  async function recompute<T>(key: string, load: () => Promise<T>, ttlMs: number): Promise<T> {
    const started = performance.now();
    const value = await load();
    const entry: EarlyRefreshEntry<T> = {
      value,
      deltaMs: performance.now() - started,
      expiresAt: now() + ttlMs,
    };
    await client.set(key, JSON.stringify(entry), 'PX', ttlMs);
    return value;
  }

  return {
    name: 'early-refresh',
    async read<T>(key: string, load: () => Promise<T>, opts: StampedeReadOptions<T> = {}): Promise<StampedeRead<T>> {
      const started = performance.now();
      // Both the envelope and the value inside it must be what this strategy stored.
      const envelope = await readJson(client, key, isEntry);
      const cached = envelope.ok ? shaped(envelope.value.value, opts.isValid) : envelope;
      if (!envelope.ok || !cached.ok) {
        const problem = cached.ok ? undefined : cached.problem;
        return finish(key, started, await recompute(key, load, options.ttlMs), 'loaded', { problem });
      }
      if (refreshEarly(now(), envelope.value, beta, random)) {
        return finish(key, started, await recompute(key, load, options.ttlMs), 'early-refresh');
      }
      return finish(key, started, cached.value, 'hit');
    },
    async prime<T>(key: string, load: () => Promise<T>, expiresInMs: number) {
      requireMs(expiresInMs, 'expiresInMs');
      await recompute(key, load, expiresInMs);
    },
  };
}
