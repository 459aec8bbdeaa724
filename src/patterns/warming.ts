// Cache warming (Step 19): fill keys before anyone asks, in pipelined batches, and refresh keys from a queue.

import type { Cluster, Redis } from 'iovalkey';
import { LabError, errorMessage } from '../errors';
import { percentileOf } from '../measure/summary';
import { isWrongType } from './entries';

export interface WarmEntry {
  key: string;
  /** Stored as JSON. */
  value: unknown;
  ttlSeconds: number;
}

export interface WarmResult {
  mode: 'pipelined' | 'one at a time';
  keys: number;
  /** Round trips to Valkey. */
  roundTrips: number;
  elapsedMs: number;
  keysPerSecond: number;
}

function checkTtl(entry: WarmEntry): void {
  if (!Number.isInteger(entry.ttlSeconds) || entry.ttlSeconds <= 0) {
    throw new LabError({
      what: `Warming entry ${entry.key} has TTL ${entry.ttlSeconds}`,
      fix: 'Every warmed key needs a TTL of whole seconds > 0, so a warmed value that nobody reads goes away.',
    });
  }
}

function result(mode: WarmResult['mode'], keys: number, roundTrips: number, elapsedMs: number): WarmResult {
  return { mode, keys, roundTrips, elapsedMs, keysPerSecond: elapsedMs > 0 ? (keys * 1000) / elapsedMs : Infinity };
}

/**
 * Writes every entry with SET .. EX, `batchSize` commands per pipeline: one round trip per batch instead of
 * one per key. The values are serialized before the clock starts, so the figure is Valkey's side only.
 */
export async function warmPipelined(
  valkey: Redis | Cluster,
  entries: readonly WarmEntry[],
  options: { batchSize?: number } = {},
): Promise<WarmResult> {
  const batchSize = options.batchSize ?? 100;
  entries.forEach(checkTtl);
  const payloads = entries.map((e) => [e.key, JSON.stringify(e.value), e.ttlSeconds] as const);
  const started = performance.now();
  let roundTrips = 0;
  for (let i = 0; i < payloads.length; i += batchSize) {
    const pipeline = valkey.pipeline();
    for (const [key, json, ttl] of payloads.slice(i, i + batchSize)) pipeline.set(key, json, 'EX', ttl);
    const replies = await pipeline.exec();
    roundTrips += 1;
    const failed = replies?.find(([error]) => error);
    if (failed) throw failed[0];
  }
  return result('pipelined', payloads.length, roundTrips, performance.now() - started);
}

/** The same writes one SET at a time, each waiting for its reply: the baseline pipelining is measured against. */
export async function warmOneByOne(valkey: Redis | Cluster, entries: readonly WarmEntry[]): Promise<WarmResult> {
  entries.forEach(checkTtl);
  const payloads = entries.map((e) => [e.key, JSON.stringify(e.value), e.ttlSeconds] as const);
  const started = performance.now();
  for (const [key, json, ttl] of payloads) await valkey.set(key, json, 'EX', ttl);
  return result('one at a time', payloads.length, payloads.length, performance.now() - started);
}

/** The guide's refresh queue. */
export const REFRESH_QUEUE = 'cache:refresh:queue';

/** Adds keys to the refresh queue (LPUSH, as the guide does; the worker takes from the other end). */
export async function enqueueRefresh(valkey: Redis | Cluster, keys: readonly string[], queue = REFRESH_QUEUE) {
  if (keys.length === 0) return 0;
  return valkey.lpush(queue, ...keys);
}

/** What the worker did with one queued key. */
export interface RefreshedKey {
  key: string;
  outcome: 'refreshed' | 'skipped' | 'failed';
  problem?: string;
}

export interface DrainResult {
  refreshed: RefreshedKey[];
  /** Items left in the queue when the worker stopped (0 unless it hit `maxItems`). */
  remaining: number;
  elapsedMs: number;
}

export interface RefreshWorkerOptions {
  /** Computes a key's fresh value and TTL, or `null` for a key it does not know (skipped). */
  refresh(key: string): Promise<{ value: unknown; ttlSeconds: number } | null>;
  queue?: string;
  /** Stops after this many items even if more are queued (default: no limit). */
  maxItems?: number;
}

/**
 * A worker that takes keys from the queue oldest first (RPOP against the guide's LPUSH), recomputes each and
 * writes it with its TTL, and stops when the queue is empty. A key queued twice is refreshed once per pop.
 * A key whose refresh fails is reported and dropped: it still expires by its TTL, so the next read loads it.
 */
export function createRefreshWorker(valkey: Redis | Cluster, options: RefreshWorkerOptions) {
  const queue = options.queue ?? REFRESH_QUEUE;
  return {
    queue,
    async drain(): Promise<DrainResult> {
      const started = performance.now();
      const refreshed: RefreshedKey[] = [];
      const limit = options.maxItems ?? Number.POSITIVE_INFINITY;
      while (refreshed.length < limit) {
        const key = await valkey.rpop(queue).catch(async (error: unknown) => {
          if (!isWrongType(error)) throw error;
          throw new LabError({
            what: `The refresh queue ${queue} is a ${await valkey.type(queue)}, not a list`,
            fix: 'Give the worker a queue of its own, or delete that key if nothing else uses it.',
          });
        });
        if (key === null) break;
        try {
          const fresh = await options.refresh(key);
          if (fresh === null) {
            refreshed.push({ key, outcome: 'skipped' });
            continue;
          }
          checkTtl({ key, value: fresh.value, ttlSeconds: fresh.ttlSeconds });
          await valkey.set(key, JSON.stringify(fresh.value), 'EX', fresh.ttlSeconds);
          refreshed.push({ key, outcome: 'refreshed' });
        } catch (error) {
          refreshed.push({ key, outcome: 'failed', problem: errorMessage(error) });
        }
      }
      return { refreshed, remaining: await valkey.llen(queue), elapsedMs: performance.now() - started };
    },
  };
}

export interface WarmingComparison {
  pipelined: WarmResult;
  oneByOne: WarmResult;
  /** How many times more keys per second the pipelined writes managed (medians). */
  speedup: number;
}

/**
 * Writes the same entries both ways, `rounds` times each, alternating which goes first, and keeps each
 * mode's median round: both meet the same server and the same machine load.
 */
export async function compareWarming(
  valkey: Redis | Cluster,
  entries: readonly WarmEntry[],
  options: { rounds?: number; batchSize?: number } = {},
): Promise<WarmingComparison> {
  const rounds = options.rounds ?? 5;
  const pipelined: WarmResult[] = [];
  const oneByOne: WarmResult[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      pipelined.push(await warmPipelined(valkey, entries, options));
      oneByOne.push(await warmOneByOne(valkey, entries));
    } else {
      oneByOne.push(await warmOneByOne(valkey, entries));
      pipelined.push(await warmPipelined(valkey, entries, options));
    }
  }
  const median = (results: WarmResult[]) => percentileOf(results, 50, (r) => r.elapsedMs)!;
  const p = median(pipelined);
  const o = median(oneByOne);
  return { pipelined: p, oneByOne: o, speedup: p.keysPerSecond / o.keysPerSecond };
}
