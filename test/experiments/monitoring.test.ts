// Monitoring on private servers: the memory alert, the latency monitor, SLOWLOG / COMMANDLOG, the sampler.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cacheWorkload,
  checkMemoryAlert,
  fillWatchingAlert,
  GUIDE_MEMORY_ALERT_LUA,
  hasCommandlog,
  latencyHistory,
  latencyLatest,
  readCommandlog,
  readSlowlog,
  runSlowScript,
  watchServer,
} from '../../src/experiments';
import { connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';

describe('the memory alert in Lua', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  beforeAll(async () => {
    server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-alert-')),
      removeDir: true,
      config: { maxmemory: '3mb', 'maxmemory-policy': 'noeviction' },
    });
    valkey = await connectValkeyUrl(server.url);
  });
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
  });

  it("the guide's version is refused: CONFIG is not allowed inside a script", async () => {
    await expect(valkey.eval(GUIDE_MEMORY_ALERT_LUA, 0)).rejects.toThrow(/not allowed from script/);
  });

  it('fires once memory passes 80% of maxmemory, and not before', async () => {
    const steps = await fillWatchingAlert(valkey, { threshold: 0.8, stopAt: 0.9, valueBytes: 1000, batch: 50 });
    const firstAlert = steps.findIndex((s) => s.status === 'ALERT');
    expect(firstAlert).toBeGreaterThan(0);
    expect(steps.slice(0, firstAlert).every((s) => s.status === 'OK' && s.ratio <= 0.8)).toBe(true);
    expect(steps.slice(firstAlert).every((s) => s.status === 'ALERT' && s.ratio > 0.8)).toBe(true);
    expect(steps[0]!.maxmemoryBytes).toBe(3 * 1024 * 1024);
    expect(await valkey.dbsize()).toBe(steps.at(-1)!.keys);
  });

  it('says NO-LIMIT on a server without maxmemory, instead of alerting', async () => {
    const other = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-alert-nolimit-')),
      removeDir: true,
    });
    const client = await connectValkeyUrl(other.url);
    try {
      expect((await checkMemoryAlert(client)).status).toBe('NO-LIMIT');
      await expect(fillWatchingAlert(client)).rejects.toThrow(/no maxmemory/);
    } finally {
      client.disconnect();
      await other.stop();
    }
  });
});

describe('slow commands and the latency monitor', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  beforeAll(async () => {
    server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-slow-')),
      removeDir: true,
      config: { 'latency-monitor-threshold': '20', 'slowlog-log-slower-than': '10000' },
    });
    valkey = await connectValkeyUrl(server.url);
  });
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
  });

  it('a 60 ms script lands in SLOWLOG and in the latency monitor; a GET does not', async () => {
    await valkey.set('quick', '1');
    await valkey.get('quick');
    const slow = await runSlowScript(valkey, 60);
    expect(slow.serverMs).toBeGreaterThanOrEqual(60);
    const entries = await readSlowlog(valkey, 10);
    expect(entries.some((e) => e.command[0]?.toUpperCase() === 'EVAL' && e.durationMicros >= 10_000)).toBe(true);
    expect(entries.some((e) => e.command[0]?.toUpperCase() === 'GET')).toBe(false);
    const latest = await latencyLatest(valkey);
    const event = latest.find((e) => e.event === 'command');
    expect(event?.maxMs).toBeGreaterThanOrEqual(20);
    expect((await latencyHistory(valkey, 'command')).length).toBeGreaterThan(0);
  });

  it('COMMANDLOG is read only where the server has it', async () => {
    const available = await hasCommandlog(valkey);
    const log = await readCommandlog(valkey, 'slow');
    expect(log === undefined).toBe(!available);
  });
});

describe('watchServer', () => {
  it('samples INFO and PING while a cache workload runs: every GET counted as a hit or a miss, memory grows', async () => {
    const server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-watch-')), removeDir: true });
    const probe = await connectValkeyUrl(server.url);
    const load = await connectValkeyUrl(server.url);
    try {
      const watch = await watchServer(probe, {
        durationMs: 1500,
        intervalMs: 200,
        workload: cacheWorkload(load, { keys: 500, ttlSeconds: 1, batchSize: 50 }),
      });
      const samples = watch.series.samples;
      expect(samples.length).toBeGreaterThanOrEqual(4);
      const first = samples[0]!;
      const last = samples.at(-1)!;
      // Every GET of the workload was a hit or a miss, and the watch saw all of them.
      const { requests, errors } = watch.workload.summary;
      expect(errors).toBe(0);
      expect(watch.change.hits + watch.change.misses).toBe(requests * 50);
      expect(watch.change.hits).toBeGreaterThan(0);
      expect(watch.change.misses).toBe(last.keyspaceMisses - first.keyspaceMisses);
      expect(last.usedMemory).toBeGreaterThan(first.usedMemory);
      expect(last.connectedClients).toBeGreaterThanOrEqual(2);
      expect(samples.every((s) => s.pingMs !== undefined && s.pingMs > 0)).toBe(true);
    } finally {
      probe.disconnect();
      load.disconnect();
      await server.stop();
    }
  });
});
