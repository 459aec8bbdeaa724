// Failover on a real local cluster with replicas, on every Valkey release under test: a killed primary's replica
// takes over and its keys stay readable.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cluster } from 'iovalkey';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LabError } from '../../src/errors';
import { failureWindow, runConcurrent } from '../../src/measure';
import {
  clusterSlotRanges,
  connectValkeyCluster,
  isAlive,
  killClusterNode,
  startLocalCluster,
  waitForPromotion,
  type LocalCluster,
} from '../../src/valkey';
import { describeEachValkey } from '../support/valkey-builds';

describeEachValkey('failover on a local cluster with one replica per primary', (release) => {
  let cluster: LocalCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startLocalCluster({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-failover-')),
      replicas: 1,
      binaries: { server: release.server, cli: release.cli },
    });
    client = await connectValkeyCluster(cluster.seeds, { keyPrefix: 'lab:' });
  }, 90_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('refuses to kill a process it did not start', async () => {
    const node = cluster.nodes[0]!;
    await expect(killClusterNode({ ...node, pid: process.pid })).rejects.toThrow(LabError);
    expect(isAlive(node.pid)).toBe(true);
  });

  it('promotes the replica of a killed primary; reads fail only in a window, then every key reads back', async () => {
    const keys = Array.from({ length: 600 }, (_, i) => `item:${i}`);
    await Promise.all(keys.map((key, i) => client.set(key, String(i))));
    // Replication is asynchronous: wait until the replicas have the writes before the crash.
    await Promise.all(client.nodes('master').map((n) => n.call('WAIT', 1, 2_000)));
    const victim = cluster.nodes.find((n) => n.role === 'primary')!;
    const victimAddress = `${victim.host}:${victim.port}`;
    const replicaPorts = new Set(cluster.nodes.filter((n) => n.role === 'replica').map((n) => `${n.host}:${n.port}`));

    const load = runConcurrent(
      async ({ request }) => {
        const i = request % keys.length;
        if ((await client.get(keys[i]!)) !== String(i)) throw new Error(`wrong value for ${keys[i]}`);
        return 'ok';
      },
      { callers: 20, durationMs: 16_000, timeoutMs: 3_000 },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const killed = await killClusterNode(victim);
    expect(isAlive(victim.pid)).toBe(false);
    const promotion = await waitForPromotion(client, victimAddress, { survivors: cluster.nodes, timeoutMs: 30_000 });
    const run = await load;

    expect(killed.node).toBe(victimAddress);
    expect(replicaPorts.has(promotion.promoted)).toBe(true);
    expect((await clusterSlotRanges(client)).some((r) => r.node === victimAddress)).toBe(false);
    const window = failureWindow(run);
    expect(window.failed).toBeGreaterThan(0); // the victim's keys could not be read while it was gone
    expect(window.failed).toBeLessThan(run.records.length);
    // After the window, reads succeed again: the last second of the run had no failure.
    const lastSecond = run.records.filter((r) => r.startMs > run.summary.durationMs - 1_000);
    expect(lastSecond.length).toBeGreaterThan(0);
    expect(lastSecond.every((r) => r.ok)).toBe(true);
    const values = await Promise.all(keys.map((key) => client.get(key)));
    expect(values).toEqual(keys.map((_, i) => String(i)));
    console.info(
      `promoted after ${Math.round(promotion.servedAt - killed.killedAt)} ms; ${window.failed} of ${window.requests} reads failed over ${Math.round(window.outageMs)} ms`,
    );
  }, 60_000);
});
