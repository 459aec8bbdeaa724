// Capacity planning for the service's cache: memory per entry measured on the server, traffic stated, and the
// arithmetic from one to the other in lines a reader can follow and a test can redo.

import type { ValkeyClient } from '../valkey/client';
import { storedKey } from '../valkey/keys';
import { LabError } from '../errors';
import { formatNumber } from '../show/format';

/** MEMORY USAGE of sampled entries of one kind (a key pattern), as the server counts them. */
export interface EntrySize {
  kind: string;
  sampled: number;
  meanBytes: number;
  maxBytes: number;
}

/**
 * Samples up to `sample` keys matching `pattern` (without the client's prefix, e.g. `airport:*`) and reads
 * MEMORY USAGE of each (SAMPLES 0: every element counted).
 */
export async function measureEntrySizes(
  client: ValkeyClient,
  kind: string,
  pattern: string,
  sample = 30,
): Promise<EntrySize> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', storedKey(client, pattern), 'COUNT', 200);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0' && found.length < sample);
  const keys = found.slice(0, sample);
  if (keys.length === 0)
    throw new LabError({
      what: `No key matches ${pattern} to measure`,
      fix: 'Run some traffic through the cache first.',
    });
  const sizes = await Promise.all(
    keys.map(async (key) => Number(await client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'))),
  );
  return {
    kind,
    sampled: keys.length,
    meanBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length,
    maxBytes: Math.max(...sizes),
  };
}

/** Stated traffic for one kind of entry. */
export interface EntryTraffic {
  kind: string;
  /** Reads per second of this kind. */
  readsPerSecond: number;
  /** Share of reads that ask for a key not asked for within the last TTL (a new entry each). */
  newKeyShare: number;
  ttlSeconds: number;
  /** How many different keys exist at all (airports: a few thousand); the entries never exceed it. */
  universe: number;
  /** Bytes per entry, measured (EntrySize.meanBytes). */
  bytesPerEntry: number;
}

export interface CapacityLine {
  kind: string;
  step: string;
  arithmetic: string;
  value: number;
}

export interface CapacityPlan {
  lines: CapacityLine[];
  entries: number;
  dataBytes: number;
  /** dataBytes plus headroom, rounded up to whole megabytes. */
  maxmemoryBytes: number;
  /** As valkey.conf writes it, e.g. `48mb`. */
  maxmemory: string;
}

/**
 * Live entries of a kind = min(universe, reads/s × new-key share × TTL): each new key stays one TTL. Bytes =
 * entries × measured bytes per entry. maxmemory = the sum × (1 + `headroom`) (fragmentation, replication and
 * client buffers, growth), rounded up to whole megabytes.
 */
export function planCapacity(traffic: readonly EntryTraffic[], headroom = 0.5): CapacityPlan {
  const lines: CapacityLine[] = [];
  let entries = 0;
  let dataBytes = 0;
  for (const t of traffic) {
    const flow = t.readsPerSecond * t.newKeyShare * t.ttlSeconds;
    const live = Math.min(t.universe, Math.ceil(flow));
    const bytes = live * t.bytesPerEntry;
    lines.push({
      kind: t.kind,
      step: 'live entries',
      arithmetic: `min(${formatNumber(t.universe)}, ${formatNumber(t.readsPerSecond)}/s × ${t.newKeyShare} × ${formatNumber(t.ttlSeconds)} s = ${formatNumber(Math.ceil(flow))})`,
      value: live,
    });
    lines.push({
      kind: t.kind,
      step: 'bytes',
      arithmetic: `${formatNumber(live)} × ${formatNumber(Math.round(t.bytesPerEntry))} B`,
      value: Math.round(bytes),
    });
    entries += live;
    dataBytes += bytes;
  }
  const mb = 1024 * 1024;
  const maxmemoryBytes = Math.ceil((dataBytes * (1 + headroom)) / mb) * mb;
  lines.push({ kind: 'all', step: 'entries', arithmetic: traffic.map((t) => t.kind).join(' + '), value: entries });
  lines.push({
    kind: 'all',
    step: 'maxmemory',
    arithmetic: `${formatNumber(Math.round(dataBytes))} B × ${1 + headroom}, rounded up to whole MB`,
    value: maxmemoryBytes,
  });
  return { lines, entries, dataBytes: Math.round(dataBytes), maxmemoryBytes, maxmemory: `${maxmemoryBytes / mb}mb` };
}

/** What filling a server with copies of real entries cost, per entry, by the server's own count. */
export interface FillCheck {
  entries: number;
  /** Growth of INFO's used_memory, divided by the entries written. */
  bytesPerEntry: number;
}

/**
 * Writes `count` copies of the entry at `sampleKey` (without prefix) under new keys `capacity-check:<n>` with a
 * 60-second TTL, reads how much used_memory grew, and deletes them: the plan's per-entry bytes, checked in bulk.
 */
export async function fillLikeSample(client: ValkeyClient, sampleKey: string, count: number): Promise<FillCheck> {
  const value = await client.getBuffer(sampleKey);
  if (value === null)
    throw new LabError({ what: `No entry ${sampleKey} to copy`, fix: 'Run some traffic through the cache first.' });
  const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? 0);
  const before = await used();
  const keys = Array.from({ length: count }, (_, i) => `capacity-check:${i}`);
  for (let i = 0; i < count; i += 500) {
    const pipeline = client.pipeline();
    for (const key of keys.slice(i, i + 500)) pipeline.set(key, value, 'EX', 60);
    await pipeline.exec();
  }
  const after = await used();
  for (let i = 0; i < count; i += 500) await client.del(...keys.slice(i, i + 500));
  return { entries: count, bytesPerEntry: (after - before) / count };
}
