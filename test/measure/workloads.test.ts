// Workloads against a real Valkey: many callers at once, pipelined batches, and INFO sampled over time.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { LabError } from '../../src/errors';
import { runConcurrent, runPipelined, sampleInfo } from '../../src/measure';
import {
  clearLabKeys,
  connectValkey,
  connectValkeyUrl,
  readInfo,
  startPrivateValkey,
  type PrivateValkey,
  type ValkeyClient,
} from '../../src/valkey';

/** Timers that keep the process alive (unref'd ones are not listed). */
function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('runConcurrent against the lab Valkey', () => {
  let valkey: ValkeyClient;
  beforeAll(async () => {
    valkey = await connectValkey(loadConfig());
    await valkey.set('workload:airport:JFK', 'John F Kennedy International');
  });
  afterAll(async () => {
    await clearLabKeys(valkey, 'workload:*');
    valkey.disconnect();
  });

  it('runs 100 callers at once and counts every failure with its message, never losing a request', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const result = await runConcurrent(
      async ({ request }) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        try {
          const name = await valkey.get('workload:airport:JFK');
          if (request % 4 === 3) throw new Error('database refused the connection');
          if (request % 10 === 0) throw new Error('lock held by another caller');
          return name === null ? 'miss' : 'hit';
        } finally {
          inFlight--;
        }
      },
      { callers: 100, requests: 400, name: 'airport lookup' },
    );
    // Requests 3, 7, 11…: 100 of 400; requests 0, 10, 20… (never 3 mod 4): 40 more.
    expect(result.summary.requests).toBe(400);
    expect(result.records).toHaveLength(400);
    expect(result.summary.errors).toBe(140);
    expect(result.summary.ok).toBe(260);
    expect(result.summary.errorMessages).toEqual([
      { message: 'database refused the connection', count: 100 },
      { message: 'lock held by another caller', count: 40 },
    ]);
    expect(result.summary.outcomes).toEqual({ hit: 260 });
    expect(result.records.filter((r) => !r.ok).every((r) => r.error !== undefined)).toBe(true);
    expect(mostInFlight).toBe(100);
    expect(result.summary.latency?.n).toBe(260);
    expect(result.summary.throughput).toBeGreaterThan(0);
    expect(result.cutShort).toBeUndefined();
    expect(result.records.every((r, i) => i === 0 || r.startMs >= result.records[i - 1]!.startMs)).toBe(true);
    expect(inspect(result)).toContain('records: [400 requests]');
  });

  it('runs for a duration, stopping within one request of it', async () => {
    const result = await runConcurrent(() => valkey.get('workload:airport:JFK'), { callers: 10, durationMs: 300 });
    expect(result.summary.requests).toBeGreaterThan(10);
    expect(result.summary.errors).toBe(0);
    expect(Math.max(...result.records.map((r) => r.startMs))).toBeLessThan(300);
  });

  it('stops starting requests once stopWhen says so, long before its duration', async () => {
    let stop = false;
    setTimeout(() => (stop = true), 200);
    const result = await runConcurrent(() => valkey.get('workload:airport:JFK'), {
      callers: 5,
      durationMs: 30_000,
      stopWhen: () => stop,
    });
    expect(result.summary.durationMs).toBeLessThan(5_000);
    expect(result.records.every((r) => r.startMs < 1_000)).toBe(true);
  });

  it('is bounded: a hung request becomes a timeout error, and a count run ends at its time limit', async () => {
    const hung = await runConcurrent(() => new Promise(() => undefined), {
      callers: 3,
      requests: 3,
      timeoutMs: 50,
    });
    expect(hung.summary.errorMessages).toEqual([{ message: 'no answer within 50 ms', count: 3 }]);
    expect(hung.summary.latency).toBeUndefined();
    const limited = await runConcurrent(() => new Promise((r) => setTimeout(r, 20)), {
      callers: 2,
      requests: 1000,
      maxDurationMs: 100,
    });
    expect(limited.cutShort).toBe('max duration');
    expect(limited.summary.requests).toBeLessThan(1000);
    const capped = await runConcurrent(() => 1, { callers: 4, durationMs: 10_000, maxRequests: 50 });
    expect(capped.summary.requests).toBe(50);
    expect(capped.cutShort).toBe('max requests');
  });

  it('refuses a run with neither or both of requests and duration', async () => {
    await expect(runConcurrent(() => 1, { callers: 2 })).rejects.toThrow(/either `requests` or `durationMs`/);
    await expect(runConcurrent(() => 1, { callers: 0, requests: 1 })).rejects.toThrow(LabError);
  });
});

describe('workloads on a private Valkey (nobody else’s traffic counts)', () => {
  let server: PrivateValkey;
  let valkey: ValkeyClient;
  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-workloads-')), removeDir: true });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'bench:' });
  });
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
  });

  it('runPipelined really writes every key, batch by batch, and counts the commands', async () => {
    const result = await runPipelined(
      valkey,
      (pipeline, { size, first }) => {
        for (let i = 0; i < size; i++) pipeline.set(`seat:${first + i}`, `passenger-${first + i}`);
      },
      { batchSize: 16, batches: 50, name: 'SET ×16' },
    );
    expect(result).toMatchObject({ name: 'SET ×16', batchSize: 16, batches: 50, commands: 800, errors: 0 });
    expect(result.records).toHaveLength(50);
    expect(result.batchLatency.n).toBe(50);
    expect(result.opsPerSec).toBeGreaterThan(0);
    expect(await valkey.dbsize()).toBe(800);
    expect(await valkey.get('seat:0')).toBe('passenger-0');
    expect(await valkey.get('seat:417')).toBe('passenger-417');
    expect(await valkey.get('seat:799')).toBe('passenger-799');
    expect(await valkey.get('seat:800')).toBeNull();
  });

  it('runPipelined counts the commands the server refuses (WRONGTYPE) and keeps the rest of each batch', async () => {
    await valkey.rpush('waitlist', 'p1');
    const result = await runPipelined(
      valkey,
      (pipeline, { batch }) => {
        pipeline.set(`gate:${batch}`, 'B12');
        pipeline.incr('waitlist'); // a list is not a counter: WRONGTYPE
        pipeline.get(`gate:${batch}`);
      },
      { batchSize: 3, batches: 10 },
    );
    expect(result.commands).toBe(30);
    expect(result.errors).toBe(10);
    expect(result.errorMessages).toHaveLength(1);
    expect(result.errorMessages[0]!.count).toBe(10);
    expect(result.errorMessages[0]!.message).toMatch(/^WRONGTYPE/);
    expect(result.records.every((r) => r.errors === 1 && r.commands === 3)).toBe(true);
    expect(await valkey.get('gate:9')).toBe('B12');
  });

  it('runPipelined runs for a duration, and refuses an empty batch or a run without a count or a duration', async () => {
    const timed = await runPipelined(valkey, (p) => p.ping(), { batchSize: 1, durationMs: 150 });
    expect(timed.batches).toBeGreaterThan(1);
    expect(timed.records.at(-1)!.startMs).toBeLessThan(150);
    await expect(runPipelined(valkey, () => undefined, { batchSize: 4, batches: 2 })).rejects.toThrow(
      /has no commands/,
    );
    await expect(runPipelined(valkey, (p) => p.ping(), { batchSize: 4 })).rejects.toThrow(
      /either `batches` or `durationMs`/,
    );
    await expect(runPipelined(valkey, (p) => p.ping(), { batchSize: 4, batches: 20, maxBatches: 10 })).rejects.toThrow(
      /batches=20 is not a whole number between 1 and 10/,
    );
  });

  it('sampleInfo sees exactly the hits and misses of a known workload between two samples', async () => {
    await valkey.set('airport:JFK', 'John F Kennedy International');
    const sampler = await sampleInfo(valkey, { intervalMs: 60_000 });
    for (let i = 0; i < 50; i++) await valkey.get('airport:JFK');
    for (let i = 0; i < 20; i++) await valkey.get(`airport:missing:${i}`);
    const after = await sampler.sample();
    const series = await sampler.stop();
    expect(after).toMatchObject({ hits: 50, misses: 20 });
    expect(after!.hitRate).toBeCloseTo(50 / 70, 10);
    // 70 GETs and the sampler's own first INFO happened between the two samples.
    expect(after!.totalCommands - series.samples[0]!.totalCommands).toBe(71);
    expect(series.samples).toHaveLength(3);
    expect(series.samples[2]).toMatchObject({ hits: 0, misses: 0, hitRate: undefined });
    expect(series.samples[0]).toMatchObject({ hits: undefined, opsPerSec: undefined });
    expect(series.endedBy).toBe('stop');
    expect(series.errors).toEqual([]);
  });

  it('sampleInfo with ping: true times one PING before each INFO read', async () => {
    const pings = async () => Number(/cmdstat_ping:calls=(\d+)/.exec(await valkey.info('commandstats'))?.[1] ?? 0);
    const before = await pings();
    const sampler = await sampleInfo(valkey, { intervalMs: 60_000, ping: true });
    await sampler.sample();
    const series = await sampler.stop();
    expect(series.samples).toHaveLength(3);
    expect(series.samples.every((s) => s.pingMs !== undefined && s.pingMs > 0)).toBe(true);
    expect((await pings()) - before).toBe(3);
  });

  it('sampleInfo samples at its interval while a workload runs, then leaves no timer behind', async () => {
    const before = pendingTimers();
    let reads = 0;
    const sampler = await sampleInfo(valkey, {
      intervalMs: 50,
      readInfo: () => {
        reads++;
        return readInfo(valkey);
      },
    });
    const workload = await runConcurrent(({ request }) => valkey.set(`flight:${request % 100}`, 'on time'), {
      callers: 20,
      durationMs: 400,
    });
    const series = await sampler.stop();
    expect(pendingTimers()).toBeLessThanOrEqual(before);
    const readsAtStop = reads;
    await new Promise((r) => setTimeout(r, 200)); // four intervals: a timer left behind would read again
    expect(reads).toBe(readsAtStop);
    expect(series.samples.length).toBeGreaterThanOrEqual(4);
    const during = series.samples.slice(1, -1);
    expect(during.every((s) => s.opsPerSec !== undefined && s.opsPerSec > 0)).toBe(true);
    const counted = series.samples.at(-1)!.totalCommands - series.samples[0]!.totalCommands;
    // Every SET of the workload, plus one INFO per sample but the last.
    expect(counted).toBe(workload.summary.requests + series.samples.length - 1);
    expect(series.samples.every((s) => s.usedMemory > 0 && s.connectedClients >= 1)).toBe(true);
    const samples = series.samples.map((s) => s.elapsedMs);
    expect(samples.every((t, i) => i === 0 || t > samples[i - 1]!)).toBe(true);
    // A second stop changes nothing and starts nothing.
    expect((await sampler.stop()).samples).toHaveLength(series.samples.length);
    expect(reads).toBe(readsAtStop);
    expect(pendingTimers()).toBeLessThanOrEqual(before);
  });

  it('sampleInfo keeps a failed read as an error and carries on, and ends itself at its bound', async () => {
    let calls = 0;
    const sampler = await sampleInfo(valkey, {
      intervalMs: 20,
      maxSamples: 3,
      readInfo: async () => {
        if (++calls === 2) throw new Error('connection reset');
        return readInfo(valkey);
      },
    });
    await new Promise((r) => setTimeout(r, 200));
    const series = await sampler.stop();
    expect(series.endedBy).toBe('max samples');
    expect(series.samples).toHaveLength(3);
    expect(series.errors).toHaveLength(1);
    expect(series.errors[0]!.message).toBe('connection reset');
  });
});
