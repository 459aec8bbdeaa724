// Cache stampede: what a protected read reports, the unprotected baseline, and a drill that sends waves of requests.

import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { performance } from 'node:perf_hooks';
import { LabError, errorMessage } from '../errors';
import { summarizeSamples } from '../measure/summary';
import { isWrongType, parseEntry, wrongTypeProblem, type ShapeCheck } from './entries';

type Client = Redis | Cluster;

/**
 * What one read did:
 * - `hit`: the cache had the value;
 * - `loaded`: it had none, and this request ran the loader and stored the answer;
 * - `waited`: another request was rebuilding the value (it held the lock); this one waited and read it;
 * - `took-over`: the lock's holder went away without storing a value; once its lock expired this request
 *   took the lock and rebuilt;
 * - `gave-up`: this request waited as long as it may, then asked the database itself (nothing stored);
 * - `coalesced`: another request in this process was already loading; this one shared its answer;
 * - `early-refresh`: the value was still valid, but this request recomputed it ahead of its expiry (XFetch).
 */
export type StampedeOutcome = 'hit' | 'loaded' | 'waited' | 'took-over' | 'gave-up' | 'coalesced' | 'early-refresh';

export const STAMPEDE_OUTCOMES: readonly StampedeOutcome[] = [
  'hit',
  'loaded',
  'waited',
  'took-over',
  'gave-up',
  'coalesced',
  'early-refresh',
];

export interface StampedeRead<T> {
  value: T;
  outcome: StampedeOutcome;
  key: string;
  /** Time for the whole read, waiting included, in milliseconds. */
  elapsedMs: number;
  /** How many times this request looked again while it waited (lock strategy). */
  polls?: number;
  /**
   * Why the cached entry this request found could not be used: damaged, too large, of another shape or of
   * another type. The request treated it as a miss, and the entry was replaced (by this request, or by the
   * one that rebuilt it).
   */
  problem?: string;
}

/** What a strategy may check about a cached value: its expected shape (default: any JSON value). */
export interface StampedeReadOptions<T> {
  isValid?: ShapeCheck<T>;
}

/** The four strategies the lab compares. */
export type StampedeStrategyName = 'none' | 'lock' | 'early-refresh' | 'coalescing';

/** A cached read under one strategy: `read` serves a request; `prime` stores a value that expires soon. */
export interface StampedeStrategy {
  name: StampedeStrategyName;
  read<T>(key: string, load: () => Promise<T>, options?: StampedeReadOptions<T>): Promise<StampedeRead<T>>;
  /** Runs `load` once and stores its answer so that it expires in `expiresInMs` (the drill's set-up). */
  prime<T>(key: string, load: () => Promise<T>, expiresInMs: number): Promise<void>;
}

export interface StrategyOptions {
  /** How long a rebuilt value lives, in ms. */
  ttlMs: number;
}

/** Throws a LabError unless `ms` is a positive whole number of milliseconds. */
export function requireMs(ms: number, what: string): void {
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new LabError({ what: `${what} must be a whole number of milliseconds > 0, got ${ms}`, fix: 'e.g. 30000.' });
  }
}

/** What a strategy found under its key: a usable value, or nothing (and why, when an entry was there). */
export type CachedJson<T> = { ok: true; value: T } | { ok: false; problem?: string };

/**
 * Reads a JSON value. A missing key is nothing; an entry that is damaged, too large, of another shape or of
 * another type is nothing with a problem, so it is rebuilt (and overwritten by SET) like a missing one
 * instead of failing the request or being served.
 */
export async function readJson<T>(client: Client, key: string, isValid?: ShapeCheck<T>): Promise<CachedJson<T>> {
  let text: string | null;
  try {
    text = await client.get(key);
  } catch (error) {
    if (isWrongType(error)) return { ok: false, problem: wrongTypeProblem(error) };
    throw error;
  }
  return text === null ? { ok: false } : parseEntry(text, { isValid });
}

/** Stores `value` as JSON that expires in `ttlMs`. */
export async function storeJson(client: Client, key: string, value: unknown, ttlMs: number): Promise<void> {
  await client.set(key, JSON.stringify(value), 'PX', ttlMs);
}

/** A read that reports its outcome and how long it took (and, when there were any, its polls and problem). */
export function finish<T>(
  key: string,
  started: number,
  value: T,
  outcome: StampedeOutcome,
  more: { polls?: number; problem?: string } = {},
): StampedeRead<T> {
  const read: StampedeRead<T> = { value, outcome, key, elapsedMs: performance.now() - started };
  if (more.polls !== undefined) read.polls = more.polls;
  if (more.problem !== undefined) read.problem = more.problem;
  return read;
}

/**
 * No protection, the baseline: every request that finds the key missing runs the loader. Under a
 * burst of requests at the moment of expiry, every one of them reaches the database.
 */
export function createUnprotectedRead(client: Client, options: StrategyOptions): StampedeStrategy {
  requireMs(options.ttlMs, 'ttlMs');
  return {
    name: 'none',
    async read<T>(key: string, load: () => Promise<T>, opts: StampedeReadOptions<T> = {}): Promise<StampedeRead<T>> {
      const started = performance.now();
      const cached = await readJson(client, key, opts.isValid);
      if (cached.ok) return finish(key, started, cached.value, 'hit');
      const value = await load();
      await storeJson(client, key, value, options.ttlMs);
      return finish(key, started, value, 'loaded', { problem: cached.problem });
    },
    async prime<T>(key: string, load: () => Promise<T>, expiresInMs: number) {
      requireMs(expiresInMs, 'expiresInMs');
      await storeJson(client, key, await load(), expiresInMs);
    },
  };
}

export interface StampedeDrillOptions<T> {
  /** The hot key. */
  key: string;
  /** The slow loader (a query plus a stated delay). The drill counts its calls. */
  load: () => Promise<T>;
  /** Requests sent at once in each wave. Default 100. */
  concurrency?: number;
  /** How many waves. Default 15. */
  waves?: number;
  /** Time between the starts of two waves, in ms. Default 100. */
  waveIntervalMs?: number;
  /** When the primed value expires, in ms after the first wave starts. Default 1000. */
  expiresInMs?: number;
}

/** What a drill measured for one strategy: data only, for tables, charts and checks. */
export interface StampedeRun {
  strategy: StampedeStrategyName;
  requests: number;
  /** Requests that ended with a value (each either from the cache or from the database). */
  served: number;
  /** Requests that threw: the strategy failed them. */
  failed: number;
  /** The loader's calls during the waves (priming not counted): the database's extra work. */
  dbCalls: number;
  /** How long each of those calls took, ms, in the order they started. */
  loadsMs: number[];
  /** Requests per outcome; outcomes that did not occur are 0. */
  outcomes: Record<StampedeOutcome, number>;
  /** Each served request's latency in ms, in the order they finished. */
  latenciesMs: number[];
  /** The first few failures' messages. */
  errors: string[];
  /** Wall-clock time of the waves, ms. */
  durationMs: number;
  concurrency: number;
  waves: number;
  waveIntervalMs: number;
  expiresInMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Steady traffic on one hot key around its expiry: the value is primed to expire `expiresInMs` after
 * the first wave; then `waves` bursts of `concurrency` requests start `waveIntervalMs` apart, so at
 * least one full burst meets the expired key. Requests stay in this process (async), bounded by
 * `concurrency × waves`. Returns what happened; it does not throw for a failed request, it counts it.
 */
export async function runStampedeDrill<T>(
  strategy: StampedeStrategy,
  options: StampedeDrillOptions<T>,
): Promise<StampedeRun> {
  const concurrency = options.concurrency ?? 100;
  const waves = options.waves ?? 15;
  const waveIntervalMs = options.waveIntervalMs ?? 100;
  const expiresInMs = options.expiresInMs ?? 1000;
  requireMs(waveIntervalMs, 'waveIntervalMs');
  requireMs(expiresInMs, 'expiresInMs');
  const sizeOk = (n: number, most: number) => Number.isInteger(n) && n >= 1 && n <= most;
  if (!sizeOk(concurrency, 1000) || !sizeOk(waves, 100)) {
    throw new LabError({
      what: `A drill of ${waves} waves × ${concurrency} requests is not a size the lab runs`,
      fix: 'Use whole numbers: concurrency 1 to 1000, waves 1 to 100.',
    });
  }

  let dbCalls = 0;
  const loadsMs: number[] = [];
  const countedLoad = async () => {
    dbCalls += 1;
    const slot = loadsMs.push(0) - 1;
    const loadStarted = performance.now();
    try {
      return await options.load();
    } finally {
      loadsMs[slot] = performance.now() - loadStarted;
    }
  };
  await strategy.prime(options.key, options.load, expiresInMs);

  const outcomes = Object.fromEntries(STAMPEDE_OUTCOMES.map((o) => [o, 0])) as Record<StampedeOutcome, number>;
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let wave = 0; wave < waves; wave++) {
    const due = started + wave * waveIntervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    for (let i = 0; i < concurrency; i++) {
      inFlight.push(
        strategy.read(options.key, countedLoad).then(
          (read) => {
            outcomes[read.outcome] += 1;
            latenciesMs.push(read.elapsedMs);
          },
          (error: unknown) => {
            failed += 1;
            if (errors.length < 5) errors.push(errorMessage(error));
          },
        ),
      );
    }
  }
  await Promise.all(inFlight);
  return {
    strategy: strategy.name,
    requests: concurrency * waves,
    served: latenciesMs.length,
    failed,
    dbCalls,
    loadsMs,
    outcomes,
    latenciesMs,
    errors,
    durationMs: performance.now() - started,
    concurrency,
    waves,
    waveIntervalMs,
    expiresInMs,
  };
}

/** One strategy's figures from a drill, ready for a table row, a chart and checks. */
export interface StampedeSummary {
  strategy: StampedeStrategyName;
  requests: number;
  failed: number;
  dbCalls: number;
  /** Latency percentiles of the served requests, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Requests that found a value in the cache straight away. */
  hits: number;
  /** Requests that did not: they loaded, waited, coalesced, took over, gave up or refreshed early. */
  notHits: number;
}

/** Summarises a drill: database calls, failures and latency percentiles (HDR, as every lab benchmark). */
export function summarizeStampede(run: StampedeRun): StampedeSummary {
  if (run.served === 0) {
    throw new LabError({
      what: `The ${run.strategy} drill served no request (${run.failed} failed: ${run.errors[0] ?? 'no message'})`,
      fix: 'Run one read on its own to see the error.',
    });
  }
  const latency = summarizeSamples(run.strategy, run.latenciesMs);
  return {
    strategy: run.strategy,
    requests: run.requests,
    failed: run.failed,
    dbCalls: run.dbCalls,
    p50: latency.p50,
    p99: latency.p99,
    max: latency.max,
    hits: run.outcomes.hit,
    notHits: run.served - run.outcomes.hit,
  };
}
