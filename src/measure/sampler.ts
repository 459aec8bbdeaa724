// INFO sampled at an interval while a workload runs: throughput, memory, hits and misses as a time series.

import { performance } from 'node:perf_hooks';
import { LabError, errorMessage } from '../errors';
import { readInfo as readServerInfo, type ValkeyClient } from '../valkey/client';
import type { Info } from '../valkey/info';
import { positiveInteger, positiveNumber } from './limits';
import { printsBriefly } from './printed';

/** The server's state at one moment, and what changed since the sample before. */
export interface InfoSample {
  /** ms since the sampler started. */
  elapsedMs: number;
  at: Date;
  totalCommands: number;
  /**
   * Commands per second since the previous sample, from total_commands_processed (undefined for the
   * first). It includes the sampler's own INFO: one command per sample and server.
   */
  opsPerSec: number | undefined;
  /** The server's own estimate (instantaneous_ops_per_sec): a short moving average it keeps. */
  instantaneousOpsPerSec: number;
  usedMemory: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** Hits and misses since the previous sample (undefined for the first). */
  hits: number | undefined;
  misses: number | undefined;
  /** hits ÷ (hits + misses) since the previous sample; undefined when there were no lookups. */
  hitRate: number | undefined;
  expiredKeys: number;
  evictedKeys: number;
  connectedClients: number;
  /** With `ping: true`: a PING's round trip just before this INFO read, what a request waited at that moment. */
  pingMs?: number;
}

export interface InfoSeries {
  intervalMs: number;
  samples: InfoSample[];
  /** Reads of INFO that failed: when, and why (sampling carries on after one). */
  errors: Array<{ elapsedMs: number; message: string }>;
  /** Why sampling ended: `stop()`, or a bound reached first. */
  endedBy: 'stop' | 'max samples' | 'max duration';
}

export interface SampleInfoOptions {
  /** Time between samples. */
  intervalMs: number;
  /**
   * How to read INFO. Default: INFO from `client` (on a cluster, summed over its primaries).
   */
  readInfo?: () => Promise<Info>;
  /** Time a PING from `client` before each INFO read (`pingMs`): latency over time beside the counters. */
  ping?: boolean;
  /** Sampling ends by itself after this many samples. Default 10,000. */
  maxSamples?: number;
  /** …or after this long. Default 5 minutes. */
  maxDurationMs?: number;
}

export interface InfoSampler {
  /** Takes a sample now (between the timed ones), e.g. right after a known workload. */
  sample(): Promise<InfoSample | undefined>;
  /** The samples so far. */
  readonly samples: readonly InfoSample[];
  /** Ends sampling (no timer is left behind), takes a last sample, and returns the series. */
  stop(): Promise<InfoSeries>;
}

export const DEFAULT_MAX_SAMPLES = 10_000;
export const DEFAULT_SAMPLER_MAX_DURATION_MS = 5 * 60_000;
/** INFO more often than this measures the sampler rather than the workload. */
export const MIN_INTERVAL_MS = 10;

/**
 * Starts sampling INFO every `intervalMs` (first sample at once). Reads never overlap: the next one is
 * scheduled when the previous has finished. Ops/s come from deltas of total_commands_processed, which
 * counts every command between two samples, not the server's smoothed estimate.
 */
export async function sampleInfo(client: ValkeyClient, options: SampleInfoOptions): Promise<InfoSampler> {
  positiveNumber(options.intervalMs, 'intervalMs');
  if (options.intervalMs < MIN_INTERVAL_MS) {
    throw new LabError({
      what: `intervalMs=${options.intervalMs} is shorter than ${MIN_INTERVAL_MS} ms`,
      fix: 'Sample every 100–1000 ms: INFO itself costs the server work.',
    });
  }
  const maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES;
  positiveInteger(maxSamples, 'maxSamples', Number.MAX_SAFE_INTEGER, 'e.g. 1000');
  const maxDurationMs = options.maxDurationMs ?? DEFAULT_SAMPLER_MAX_DURATION_MS;
  positiveNumber(maxDurationMs, 'maxDurationMs');
  const read = options.readInfo ?? defaultReader(client);

  const samples: InfoSample[] = [];
  const errors: InfoSeries['errors'] = [];
  const origin = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let endedBy: InfoSeries['endedBy'] | undefined;
  let chain: Promise<InfoSample | undefined> = Promise.resolve(undefined);

  /** One read at a time: each waits for the one before, so deltas are always between neighbours. */
  const take = (): Promise<InfoSample | undefined> => {
    chain = chain.then(async () => {
      const elapsedMs = performance.now() - origin;
      try {
        const pingMs = options.ping ? await timePing(client) : undefined;
        const sample = toSample(await read(), elapsedMs, samples[samples.length - 1]);
        if (pingMs !== undefined) sample.pingMs = pingMs;
        samples.push(sample);
        return sample;
      } catch (cause) {
        errors.push({ elapsedMs, message: errorMessage(cause) });
        return undefined;
      }
    });
    return chain;
  };

  const tick = async (): Promise<void> => {
    timer = undefined;
    await take();
    if (endedBy) return;
    if (samples.length >= maxSamples) endedBy = 'max samples';
    else if (performance.now() - origin >= maxDurationMs) endedBy = 'max duration';
    else timer = setTimeout(() => void tick(), options.intervalMs);
  };

  await tick();
  return {
    sample: take,
    get samples() {
      return samples;
    },
    async stop(): Promise<InfoSeries> {
      const stillRunning = endedBy === undefined;
      endedBy ??= 'stop';
      if (timer) clearTimeout(timer);
      timer = undefined;
      // A timed read in flight finishes first; then one last sample closes the series at the stop.
      if (stillRunning) await take();
      else await chain;
      const series: InfoSeries = {
        intervalMs: options.intervalMs,
        samples: [...samples],
        errors: [...errors],
        endedBy,
      };
      return printsBriefly(series, { samples: 'samples' });
    },
  };
}

async function timePing(client: ValkeyClient): Promise<number> {
  const started = performance.now();
  await client.ping();
  return performance.now() - started;
}

function defaultReader(client: ValkeyClient): () => Promise<Info> {
  // On a cluster readInfo sums the primaries' counters, so the series covers the whole cluster.
  return () => readServerInfo(client);
}

/** The fields the series keeps, and the deltas against the previous sample. */
export function toSample(info: Info, elapsedMs: number, previous: InfoSample | undefined): InfoSample {
  const clients = (info.clients ?? {}) as Record<string, unknown>;
  const totalCommands = count(info.stats.total_commands_processed);
  const keyspaceHits = count(info.stats.keyspace_hits);
  const keyspaceMisses = count(info.stats.keyspace_misses);
  const seconds = previous ? (elapsedMs - previous.elapsedMs) / 1000 : 0;
  const hits = previous ? keyspaceHits - previous.keyspaceHits : undefined;
  const misses = previous ? keyspaceMisses - previous.keyspaceMisses : undefined;
  const lookups = (hits ?? 0) + (misses ?? 0);
  return {
    elapsedMs,
    at: new Date(),
    totalCommands,
    opsPerSec: previous && seconds > 0 ? (totalCommands - previous.totalCommands) / seconds : undefined,
    instantaneousOpsPerSec: count(info.stats.instantaneous_ops_per_sec),
    usedMemory: count(info.memory.used_memory),
    keyspaceHits,
    keyspaceMisses,
    hits,
    misses,
    hitRate: previous && lookups > 0 ? hits! / lookups : undefined,
    expiredKeys: count(info.stats.expired_keys),
    evictedKeys: count(info.stats.evicted_keys),
    connectedClients: count(clients.connected_clients),
  };
}

function count(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}
