// Resharding under load on a real local cluster, on every Valkey release under test: keys move, the client follows
// MOVED/ASK, no request fails; atomic slot migration where the release has it (9.0), MIGRATE key by key where not.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cluster } from 'iovalkey';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LabError } from '../../src/errors';
import { failureWindow, failuresOverTime, runConcurrent } from '../../src/measure';
import { failuresOverTimeChart, keysPerPrimaryChart, renderChart, slotRangesChart } from '../../src/show';
import {
  clusterSlotRanges,
  connectValkeyCluster,
  adminCommand,
  keysPerPrimary,
  migrateSlots,
  moveSlots,
  nodeAddress,
  startLocalCluster,
  storedKey,
  valkeyAtLeast,
  type LocalCluster,
} from '../../src/valkey';
import { describeEachValkey } from '../support/valkey-builds';

describeEachValkey('moving a slot range on a local cluster', (release) => {
  let cluster: LocalCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startLocalCluster({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-reshard-')),
      binaries: { server: release.server, cli: release.cli },
    });
    client = await connectValkeyCluster(cluster.seeds, { keyPrefix: 'lab:' });
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('reports three primaries covering all 16,384 slots, and where keys live', async () => {
    const ranges = await clusterSlotRanges(client);
    expect(new Set(ranges.map((r) => r.node)).size).toBe(3);
    expect(ranges.reduce((n, r) => n + r.end - r.start + 1, 0)).toBe(16_384);
    await Promise.all(Array.from({ length: 2000 }, (_, i) => client.set(`item:${i}`, String(i))));
    const perPrimary = await keysPerPrimary(client, 'item:*');
    expect(perPrimary.reduce((n, p) => n + p.keys, 0)).toBe(2000);
    expect(perPrimary.every((p) => p.keys > 0)).toBe(true);
    const svg = (await renderChart(keysPerPrimaryChart(perPrimary))) + (await renderChart(slotRangesChart(ranges)));
    expect(svg).toContain('<svg');
  });

  it('moves slots with their keys while 50 callers keep reading, and not one request fails', async () => {
    const ranges = await clusterSlotRanges(client);
    const source = ranges[0]!;
    const target = ranges.find((r) => r.node !== source.node)!.node;
    const end = source.start + 199;
    const keys = Array.from({ length: 2000 }, (_, i) => `item:${i}`);
    const slotOf = async (key: string) => Number(await client.call('CLUSTER', 'KEYSLOT', storedKey(client, key)));
    const slots = await Promise.all(keys.map(slotOf));
    const moving = keys.filter((_, i) => slots[i]! >= source.start && slots[i]! <= end);
    expect(moving.length).toBeGreaterThan(0);

    const move = moveSlots(client, { start: source.start, end, to: target, pauseMsPerSlot: 1 });
    const load = runConcurrent(
      async ({ request }) => {
        const key = keys[request % keys.length]!;
        const value = await client.get(key);
        if (value !== key.split(':')[1]) throw new Error(`wrong value ${value} for ${key}`);
        return 'ok';
      },
      { callers: 50, durationMs: 3_000 },
    );
    const [moved, run] = await Promise.all([move, load]);
    expect(moved).toMatchObject({ from: source.node, to: target, slots: 200, keys: moving.length });
    expect(run.summary.requests).toBeGreaterThan(100);
    expect(failureWindow(run)).toMatchObject({ failed: 0, outageMs: 0 });
    expect(run.summary.errors).toBe(0);
    console.info(
      `moved ${moved.slots} slots, ${moved.keys} keys in ${Math.round(moved.durationMs)} ms; ${run.summary.requests} reads`,
    );

    const after = await clusterSlotRanges(client);
    expect(after.some((r) => r.node === target && r.start <= source.start && r.end >= end)).toBe(true);
    for (const key of moving) expect(await client.get(key)).toBe(key.split(':')[1]);
    // The keys are now stored on the target itself.
    const onTarget = client.nodes('master').find((n) => nodeAddress(n) === target)!;
    const there = await Promise.all(moving.map((key) => onTarget.call('EXISTS', storedKey(client, key))));
    expect(there.every((n) => n === 1)).toBe(true);
    const buckets = failuresOverTime(run, { bucketMs: 500 });
    expect(buckets.reduce((n, b) => n + b.requests, 0)).toBe(run.records.length);
    const svg = await renderChart(failuresOverTimeChart(buckets, { events: [{ atMs: 0, label: 'move began' }] }));
    expect(svg).toContain('move began');
  }, 30_000);

  it('migrateSlots moves a range atomically where the release has CLUSTER MIGRATESLOTS, else key by key, and no read fails', async () => {
    const atomic = valkeyAtLeast(release.version, '9.0');
    const ranges = await clusterSlotRanges(client);
    const source = ranges.at(-1)!;
    const target = ranges.find((r) => r.node !== source.node)!.node;
    const start = source.end - 199;
    const keys = Array.from({ length: 2000 }, (_, i) => `ticket:${i}`);
    await Promise.all(keys.map((key) => client.set(key, key)));
    await adminCommand(client, 'CONFIG', 'RESETSTAT');

    const move = migrateSlots(client, { start, end: source.end, to: target });
    const load = runConcurrent(
      async ({ request }) => {
        const key = keys[request % keys.length]!;
        if ((await client.get(key)) !== key) throw new Error(`wrong value for ${key}`);
        return 'ok';
      },
      { callers: 50, durationMs: 2_000 },
    );
    const [moved, run] = await Promise.all([move, load]);
    expect(moved).toMatchObject({
      from: source.node,
      to: target,
      slots: 200,
      path: atomic ? 'command' : 'fallback',
      command: atomic ? 'CLUSTER MIGRATESLOTS' : 'SETSLOT + MIGRATE',
    });
    expect(moved.keys).toBeGreaterThan(0);
    expect(run.summary.errors).toBe(0);
    // What the source received: one CLUSTER MIGRATESLOTS, or a MIGRATE per batch of keys.
    const stats = await client
      .nodes('master')
      .find((n) => nodeAddress(n) === source.node)!
      .info('commandstats');
    expect(/^cmdstat_cluster\|migrateslots:calls=1,/m.test(stats)).toBe(atomic);
    expect(/^cmdstat_migrate:calls=\d+/m.test(stats)).toBe(!atomic);
    const after = await clusterSlotRanges(client);
    expect(after.some((r) => r.node === target && r.start <= start && r.end >= source.end)).toBe(true);
    for (const key of keys.slice(0, 200)) expect(await client.get(key)).toBe(key);
    console.info(
      `${release.label}: ${moved.command} moved ${moved.slots} slots, ${moved.keys} keys in ${Math.round(moved.durationMs)} ms`,
    );
  }, 60_000);

  it('refuses a range that spans two primaries', async () => {
    const ranges = await clusterSlotRanges(client);
    const boundary = ranges[1]!.start;
    await expect(moveSlots(client, { start: boundary - 1, end: boundary, to: ranges[2]!.node })).rejects.toThrow(
      LabError,
    );
  });
});
