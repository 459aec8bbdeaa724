// Monitoring: INFO sampled while a workload runs, the memory alert in Lua, the latency monitor, SLOWLOG and COMMANDLOG.

import { performance } from 'node:perf_hooks';
import { LabError } from '../errors';
import { runConcurrent, type ConcurrentResult } from '../measure/concurrent';
import { zipfKeys } from '../measure/keys';
import { sampleInfo, type InfoSeries } from '../measure/sampler';
import type { ValkeyClient } from '../valkey/client';
import { detectFeatures } from '../valkey/features';

/**
 * The guide's alert (Step 23) as written: it reads maxmemory with CONFIG GET, which Valkey and Redis
 * refuse inside a script ("not allowed from script"). Kept to show that refusal.
 */
export const GUIDE_MEMORY_ALERT_LUA = `local memory_usage = redis.call('INFO', 'memory')
local used_memory = string.match(memory_usage, 'used_memory:(%d+)')
local max_memory = redis.call('CONFIG', 'GET', 'maxmemory')[2]
if tonumber(used_memory) > tonumber(max_memory) * 0.8 then
    return 'ALERT: Memory usage above 80%'
else
    return 'Memory usage OK'
end`;

/**
 * The lab's alert: both figures come from INFO memory (which a script may read), the threshold is
 * ARGV[1], and a server without a limit (maxmemory 0) says so instead of alerting on every call.
 * Returns { status, used_memory, maxmemory }.
 */
export const MEMORY_ALERT_LUA = `local info = redis.call('INFO', 'memory')
local used = tonumber(string.match(info, 'used_memory:(%d+)'))
local max = tonumber(string.match(info, 'maxmemory:(%d+)'))
local threshold = tonumber(ARGV[1])
local status = 'OK'
if max == 0 then
    status = 'NO-LIMIT'
elseif used > max * threshold then
    status = 'ALERT'
end
return { status, used, max }`;

export type AlertStatus = 'OK' | 'ALERT' | 'NO-LIMIT';

export interface MemoryAlert {
  status: AlertStatus;
  usedBytes: number;
  maxmemoryBytes: number;
  /** used / maxmemory (0 without a limit). */
  ratio: number;
  threshold: number;
}

/** Runs the lab's alert script once (a read-only check: safe on any server). */
export async function checkMemoryAlert(client: ValkeyClient, threshold = 0.8): Promise<MemoryAlert> {
  if (!(threshold > 0 && threshold <= 1)) {
    throw new LabError({
      what: `An alert threshold must be a ratio in (0, 1], got ${threshold}`,
      fix: 'Use 0.8 for 80%.',
    });
  }
  const [status, used, max] = (await client.eval(MEMORY_ALERT_LUA, 0, String(threshold))) as [
    AlertStatus,
    number,
    number,
  ];
  return { status, usedBytes: used, maxmemoryBytes: max, ratio: max > 0 ? used / max : 0, threshold };
}

export interface AlertStep extends MemoryAlert {
  /** Keys written so far. */
  keys: number;
}

/**
 * Writes keys in batches and runs the alert after each one, until memory reaches `stopAt` of maxmemory:
 * the record of when the alert fired. For a private server with a maxmemory: it fills it with
 * `fill:*` keys (`valueBytes` each).
 */
export async function fillWatchingAlert(
  client: ValkeyClient,
  options: { threshold?: number; stopAt?: number; valueBytes?: number; batch?: number; maxSteps?: number } = {},
): Promise<AlertStep[]> {
  const threshold = options.threshold ?? 0.8;
  const stopAt = options.stopAt ?? 0.92;
  const batch = options.batch ?? 100;
  const value = 'x'.repeat(options.valueBytes ?? 1000);
  const steps: AlertStep[] = [{ keys: 0, ...(await checkMemoryAlert(client, threshold)) }];
  if (steps[0]!.status === 'NO-LIMIT') {
    throw new LabError({
      what: 'The server has no maxmemory, so the alert can never fire',
      fix: 'Start a private server with a maxmemory.',
    });
  }
  let keys = 0;
  for (let i = 0; i < (options.maxSteps ?? 500) && steps.at(-1)!.ratio < stopAt; i++) {
    const pipeline = client.pipeline();
    for (let k = 0; k < batch; k++) pipeline.set(`fill:${keys + k}`, value);
    await pipeline.exec();
    keys += batch;
    steps.push({ keys, ...(await checkMemoryAlert(client, threshold)) });
  }
  return steps;
}

/** A Lua loop that does nothing `ARGV[1]` times: a script that holds the server for a while. */
export const BUSY_LOOP_LUA = 'local n = tonumber(ARGV[1]) for i = 1, n do end return n';

/** Microseconds the server has spent in EVAL so far (INFO commandstats): its own clock, not the client's. */
async function evalMicros(client: ValkeyClient): Promise<number> {
  return Number(/cmdstat_eval:calls=\d+,usec=(\d+)/.exec(await client.info('commandstats'))?.[1] ?? 0);
}

/**
 * Runs a script that keeps the (single-threaded) server busy for at least `targetMs` by the server's own
 * accounting: every other client waits meanwhile. The loop length is found by trying: a client-side
 * timing would be stretched on a busy machine, the server's time of the script is not. Only for a
 * server the lab started.
 */
export async function runSlowScript(
  client: ValkeyClient,
  targetMs: number,
): Promise<{ iterations: number; serverMs: number; elapsedMs: number }> {
  let iterations = 200_000;
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = await evalMicros(client);
    const started = performance.now();
    await client.eval(BUSY_LOOP_LUA, 0, String(iterations));
    const elapsedMs = performance.now() - started;
    const serverMs = ((await evalMicros(client)) - before) / 1000;
    if (serverMs >= targetMs) return { iterations, serverMs, elapsedMs };
    // Aim a little past the target; grow at least 1.5× and at most 20× per try.
    const factor = Math.min(20, Math.max(1.5, (targetMs * 1.2) / Math.max(serverMs, 0.01)));
    iterations = Math.ceil(iterations * factor);
  }
  throw new LabError({
    what: `A busy loop of ${iterations} iterations still ran shorter than ${targetMs} ms`,
    fix: 'Ask for a shorter target.',
  });
}

/** One event of the latency monitor (LATENCY LATEST). */
export interface LatencyEvent {
  event: string;
  at: Date;
  latestMs: number;
  maxMs: number;
}

/** The latency monitor's latest event per kind (LATENCY LATEST), each with when it happened and its worst. */
export async function latencyLatest(client: ValkeyClient): Promise<LatencyEvent[]> {
  const rows = (await client.call('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
  return rows.map(([event, at, latestMs, maxMs]) => ({ event, at: new Date(at * 1000), latestMs, maxMs }));
}

/** LATENCY HISTORY of one event: when it happened and how long it took. */
export async function latencyHistory(client: ValkeyClient, event: string): Promise<Array<{ at: Date; ms: number }>> {
  const rows = (await client.call('LATENCY', 'HISTORY', event)) as Array<[number, number]>;
  return rows.map(([at, ms]) => ({ at: new Date(at * 1000), ms }));
}

/** One entry of SLOWLOG GET (or COMMANDLOG GET ... slow, which has the same shape). */
export interface SlowEntry {
  id: number;
  at: Date;
  /** Time the command spent executing on the server, in microseconds (network and queueing not included). */
  durationMicros: number;
  /** The command and its arguments (long ones cut by the server). */
  command: string[];
  client: string;
  clientName: string;
}

function slowEntries(rows: unknown): SlowEntry[] {
  return (rows as Array<[number, number, number, string[], string?, string?]>).map(
    ([id, at, durationMicros, command, client, clientName]) => ({
      id,
      at: new Date(at * 1000),
      durationMicros,
      command: command.map(String),
      client: client ?? '',
      clientName: clientName ?? '',
    }),
  );
}

/** SLOWLOG GET `count`: the most recent commands slower than slowlog-log-slower-than. Read only. */
export async function readSlowlog(client: ValkeyClient, count = 10): Promise<SlowEntry[]> {
  return slowEntries(await client.call('SLOWLOG', 'GET', String(count)));
}

/**
 * Whether the server has COMMANDLOG (Valkey 8.1 and later: SLOWLOG's successor, which also logs large
 * requests and replies). Asked of the server itself (`detectFeatures`: COMMAND INFO), not guessed from a version.
 */
export async function hasCommandlog(client: ValkeyClient): Promise<boolean> {
  return (await detectFeatures(client)).has.commandLog;
}

/** COMMANDLOG GET `count` `type`, or undefined where the server has no COMMANDLOG. */
export async function readCommandlog(
  client: ValkeyClient,
  type: 'slow' | 'large-request' | 'large-reply' = 'slow',
  count = 10,
): Promise<SlowEntry[] | undefined> {
  if (!(await hasCommandlog(client))) return undefined;
  return slowEntries(await client.call('COMMANDLOG', 'GET', String(count), type));
}

/** A watched run: the server sampled while a workload ran on its own connection. */
export interface ServerWatch<W = undefined> {
  /** INFO and a PING's round trip every `intervalMs` (`sampleInfo` with `ping: true`). */
  series: InfoSeries;
  /** How far the counters moved during the watch: the last sample minus the first. */
  change: { hits: number; misses: number; expiredKeys: number; evictedKeys: number };
  /** What the workload returned. */
  workload: W;
}

/** Longest watch: a notebook cell, not a soak test. */
const MAX_WATCH_MS = 60_000;

/**
 * Samples `probe` every `intervalMs` (`sampleInfo`, a PING timed before each INFO) while `workload`
 * runs for `durationMs` on its own connection, or for `durationMs` of quiet without one.
 */
export async function watchServer<W = undefined>(
  probe: ValkeyClient,
  options: { durationMs: number; intervalMs?: number; workload?: (durationMs: number) => Promise<W> },
): Promise<ServerWatch<W>> {
  const { durationMs } = options;
  if (!(durationMs > 0) || durationMs > MAX_WATCH_MS) {
    throw new LabError({
      what: `A watch lasts between 0 and ${MAX_WATCH_MS / 1000} s, got ${durationMs} ms`,
      fix: 'Use e.g. 5000.',
    });
  }
  const sampler = await sampleInfo(probe, { intervalMs: options.intervalMs ?? 250, ping: true });
  let workload: W;
  try {
    workload = await (options.workload?.(durationMs) ?? quiet<W>(durationMs));
  } catch (error) {
    await sampler.stop(); // no timer left behind
    throw error;
  }
  const series = await sampler.stop();
  const first = series.samples[0]!;
  const last = series.samples.at(-1)!;
  return {
    series,
    change: {
      hits: last.keyspaceHits - first.keyspaceHits,
      misses: last.keyspaceMisses - first.keyspaceMisses,
      expiredKeys: last.expiredKeys - first.expiredKeys,
      evictedKeys: last.evictedKeys - first.evictedKeys,
    },
    workload,
  };
}

function quiet<W>(ms: number): Promise<W> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined as W), ms));
}

/**
 * A cache-like workload for `watchServer`: one caller (`runConcurrent`) sending pipelined GETs of
 * Zipf-chosen keys and a SET with a short TTL for each miss, so hits, misses, expiries (and, under
 * maxmemory, evictions) all move. Each request is one batch (its time includes the pause after it); its
 * outcome says whether all hit.
 */
export function cacheWorkload(
  client: ValkeyClient,
  options: {
    keys?: number;
    batchSize?: number;
    ttlSeconds?: number;
    valueBytes?: number;
    seed?: number;
    pauseMs?: number;
  } = {},
): (durationMs: number) => Promise<ConcurrentResult> {
  const ranks = zipfKeys({ n: options.keys ?? 5_000, s: 1, seed: options.seed ?? 7 });
  const value = 'v'.repeat(options.valueBytes ?? 300);
  const ttl = options.ttlSeconds ?? 2;
  const batchSize = options.batchSize ?? 100;
  const batch = async (): Promise<string> => {
    const keys = ranks.take(batchSize).map((rank) => `work:${rank}`);
    const reads = (await client.pipeline(keys.map((key) => ['get', key])).exec()) ?? [];
    const missed = keys.filter((_, i) => reads[i]?.[1] === null);
    if (missed.length > 0) await client.pipeline(missed.map((key) => ['set', key, value, 'EX', ttl])).exec();
    // A short pause leaves the probe's PING and INFO room between batches on a 2-core machine.
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 2));
    return missed.length === 0 ? 'all hit' : 'some missed';
  };
  return (durationMs) => runConcurrent(batch, { callers: 1, durationMs, name: 'cache workload' });
}
