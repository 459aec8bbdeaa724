// Many callers at once: a stampede or a throughput run, every request's timing and outcome kept as data.

import { performance } from 'node:perf_hooks';
import { errorMessage } from '../errors';
import { countOrDuration, positiveInteger, positiveNumber } from './limits';
import { printsBriefly } from './printed';
import { summarizeSamples, type BenchResult } from './summary';
import { labelled } from './bench';

/** Which request this is: the caller running it, and its number across the whole run (from 0). */
export interface RequestContext {
  caller: number;
  request: number;
}

export interface ConcurrentOptions {
  /** Callers running at once; each awaits its request before starting the next. */
  callers: number;
  /** Requests in all, shared among the callers (give this or `durationMs`). */
  requests?: number;
  /** Keep starting requests for this long (give this or `requests`). */
  durationMs?: number;
  /** What the workload is (shown in tables and charts). */
  name?: string;
  /** A request that has not settled after this long counts as an error. Default 10 s. */
  timeoutMs?: number;
  /** A count run stops starting requests after this long. Default 60 s. */
  maxDurationMs?: number;
  /** A duration run stops after this many requests. Default 1,000,000. */
  maxRequests?: number;
  /** Stop starting requests as soon as this says so (e.g. once a slot move the run watches has ended). */
  stopWhen?: () => boolean;
}

/** One request: when it started (ms after the run began), how long it took, and how it ended. */
export interface RequestRecord {
  caller: number;
  startMs: number;
  latencyMs: number;
  ok: boolean;
  /** The error's message, when it failed. */
  error?: string;
  /** What the request reported: its result if it was a string, or its `outcome` (a `CacheRead` has one). */
  outcome?: string;
}

export interface ConcurrentSummary {
  requests: number;
  ok: number;
  errors: number;
  /** From the first start to the last settle, in ms. */
  durationMs: number;
  /** Settled requests (ok or not) per second of the run. */
  throughput: number;
  /** Latency of the requests that succeeded (errors can be fast and flatter the figures); none if none did. */
  latency: BenchResult | undefined;
  /** Each distinct error message and how often it came. */
  errorMessages: Array<{ message: string; count: number }>;
  /** How often each outcome came, e.g. `{ hit: 97, miss: 3 }`. */
  outcomes: Record<string, number>;
}

export interface ConcurrentResult {
  name: string;
  callers: number;
  /** Why the run ended before its target, if it did ('max duration' or 'max requests'). */
  cutShort: 'max duration' | 'max requests' | undefined;
  records: RequestRecord[];
  summary: ConcurrentSummary;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_DURATION_MS = 60_000;
export const DEFAULT_MAX_REQUESTS = 1_000_000;
/** Enough for a stampede; more callers than this only measure the event loop. */
export const MAX_CALLERS = 10_000;

/**
 * Runs `fn` from `callers` callers at once, for a number of requests or for a duration, and records
 * every request. A failing request is counted and its message kept; it never stops the run. All
 * callers start in the same tick, so `callers: 100, requests: 100` is a stampede of 100 at once.
 */
export async function runConcurrent(
  fn: (context: RequestContext) => unknown,
  options: ConcurrentOptions,
): Promise<ConcurrentResult> {
  const limits = checkedOptions(options);
  const records: RequestRecord[] = [];
  const origin = performance.now();
  const stopAt = origin + limits.timeLimitMs;
  let started = 0;
  let cutShort: ConcurrentResult['cutShort'];

  const mayStart = (): boolean => {
    if (started >= limits.requestLimit) {
      if (limits.requests === undefined) cutShort = 'max requests';
      return false;
    }
    if (performance.now() >= stopAt) {
      if (limits.requests !== undefined) cutShort = 'max duration';
      return false;
    }
    return !options.stopWhen?.();
  };

  const caller = async (id: number): Promise<void> => {
    while (mayStart()) {
      const request = started++;
      const start = performance.now();
      const record: RequestRecord = { caller: id, startMs: start - origin, latencyMs: 0, ok: true };
      try {
        const value = await settleWithin(() => fn({ caller: id, request }), limits.timeoutMs);
        const outcome = outcomeOf(value);
        if (outcome !== undefined) record.outcome = outcome;
      } catch (cause) {
        record.ok = false;
        record.error = errorMessage(cause);
      }
      record.latencyMs = performance.now() - start;
      records.push(record);
    }
  };

  await Promise.all(Array.from({ length: limits.callers }, (_, id) => caller(id)));
  const durationMs = performance.now() - origin;
  records.sort((a, b) => a.startMs - b.startMs);
  const name = options.name ?? (fn.name || 'workload');
  const summary = summarize(name, records, durationMs);
  return printsBriefly({ name, callers: limits.callers, cutShort, records, summary }, { records: 'requests' });
}

/** Counts, throughput, latency percentiles (HDR) of the successful requests, and errors grouped. */
export function summarize(name: string, records: readonly RequestRecord[], durationMs: number): ConcurrentSummary {
  const okLatencies = records.filter((r) => r.ok).map((r) => r.latencyMs);
  const messages = new Map<string, number>();
  const outcomes: Record<string, number> = {};
  for (const r of records) {
    if (!r.ok) messages.set(r.error ?? '', (messages.get(r.error ?? '') ?? 0) + 1);
    if (r.outcome !== undefined) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  }
  return {
    requests: records.length,
    ok: okLatencies.length,
    errors: records.length - okLatencies.length,
    durationMs,
    throughput: durationMs > 0 ? records.length / (durationMs / 1000) : 0,
    latency: okLatencies.length > 0 ? labelled(summarizeSamples(name, okLatencies)) : undefined,
    errorMessages: [...messages.entries()]
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count),
    outcomes,
  };
}

/** Awaits `fn()`, failing after `timeoutMs` (the request itself cannot be cancelled; the run moves on). */
async function settleWithin(fn: () => unknown, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(fn), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function outcomeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'outcome' in value) {
    const outcome = (value as { outcome: unknown }).outcome;
    if (typeof outcome === 'string') return outcome;
  }
  return undefined;
}

interface Limits {
  callers: number;
  requests: number | undefined;
  requestLimit: number;
  timeLimitMs: number;
  timeoutMs: number;
}

function checkedOptions(options: ConcurrentOptions): Limits {
  positiveInteger(options.callers, 'callers', MAX_CALLERS, 'e.g. 100');
  const bounds = countOrDuration(
    { name: 'runConcurrent', unit: 'requests', example: 'callers: 20' },
    { ...options, count: options.requests, maxCount: options.maxRequests },
    { maxCount: DEFAULT_MAX_REQUESTS, maxDurationMs: DEFAULT_MAX_DURATION_MS },
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  positiveNumber(timeoutMs, 'timeoutMs');
  return {
    callers: options.callers,
    requests: bounds.count,
    requestLimit: bounds.countLimit,
    timeLimitMs: bounds.timeLimitMs,
    timeoutMs,
  };
}
