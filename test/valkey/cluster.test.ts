import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cluster } from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { LabError } from '../../src/errors';
import {
  adminCommand,
  captureCommands,
  clearLabKeys,
  connectValkey,
  connectValkeyCluster,
  freePort,
  inspectKey,
  isAlive,
  isCluster,
  listLabKeys,
  localClusterStatus,
  readInfo,
  readInfoByNode,
  sameSlot,
  startLocalCluster,
  stopLocalCluster,
  valkeyServerInfo,
  type LocalCluster,
} from '../../src/valkey';
import { describeEachValkey } from '../support/valkey-builds';

describeEachValkey('a local Valkey Cluster of 3 primaries', (release) => {
  let cluster: LocalCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startLocalCluster({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-cluster-')),
      binaries: { server: release.server, cli: release.cli },
    });
    client = await connectValkeyCluster(cluster.seeds, { keyPrefix: 'lab:' });
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('is three primaries of this release on distinct loopback ports, reported as running', async () => {
    expect(cluster.nodes.filter((n) => n.role === 'primary')).toHaveLength(3);
    expect(new Set(cluster.seeds.map((s) => s.port)).size).toBe(3);
    expect(cluster.envLine).toMatch(/^VALKEY_CLUSTER_NODES=127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    const status = await localClusterStatus(cluster.dir);
    expect(status).toMatchObject({ running: true, state: 'ok' });
    expect(await valkeyServerInfo(client)).toMatchObject({ mode: 'cluster', version: release.version });
  });

  it('connectValkey returns a cluster client with the lab prefix when VALKEY_CLUSTER_NODES is set', async () => {
    const config = loadConfig({ env: { VALKEY_CLUSTER_NODES: cluster.envLine.split('=')[1] } });
    const fromConfig = await connectValkey(config);
    expect(isCluster(fromConfig)).toBe(true);
    expect(fromConfig.options.keyPrefix).toBe(config.valkey.keyPrefix);
    fromConfig.disconnect();
  });

  it('lists and clears the lab keys held by every primary, and leaves other keys alone', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `airport:${i}:name`);
    for (const key of keys) await client.set(key, 'x');
    const bystander = await connectValkeyCluster(cluster.seeds);
    await bystander.set('airport:1:name', 'someone else');
    // 30 keys spread over the slots land on every primary.
    const perNode = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
    expect(perNode.every((n) => n > 0)).toBe(true);
    expect(await listLabKeys(client)).toEqual([...keys].sort());
    expect(await clearLabKeys(client, 'airport:1*')).toBe(11);
    expect(await clearLabKeys(client)).toBe(19);
    expect(await listLabKeys(client)).toEqual([]);
    expect(await bystander.get('airport:1:name')).toBe('someone else');
    await bystander.del('airport:1:name');
    bystander.disconnect();
  });

  it('reads INFO per node and summed: keys and hits add up across primaries', async () => {
    const before = await readInfo(client, 'stats');
    for (let i = 0; i < 12; i++) await client.set(`flight:${i}`, 'x');
    for (let i = 0; i < 12; i++) await client.get(`flight:${i}`);
    await client.get('flight:missing');
    const after = await readInfo(client);
    expect(Number(after.stats.keyspace_hits) - Number(before.stats.keyspace_hits)).toBe(12);
    expect(Number(after.stats.keyspace_misses) - Number(before.stats.keyspace_misses)).toBe(1);
    expect(after.keyspace.db0?.keys).toBe(12);
    const byNode = await readInfoByNode(client, 'memory');
    expect(byNode).toHaveLength(3);
    expect(byNode.map((n) => n.role)).toEqual(['primary', 'primary', 'primary']);
    const summedMemory = (await readInfo(client, 'memory')).memory.used_memory;
    const perNode = byNode.reduce((sum, n) => sum + Number(n.info.memory.used_memory), 0);
    expect(Number(summedMemory)).toBeGreaterThan(0.9 * perNode); // read a moment apart
    expect(Number(summedMemory)).toBeLessThan(1.1 * perNode);
    await clearLabKeys(client);
  });

  it('inspects a key on the primary that owns its slot', async () => {
    await client.set('airport:JFK:iata', 'JFK', 'EX', 300);
    const inspection = await inspectKey(client, 'airport:JFK:iata');
    const slot = Number(await client.nodes('master')[0]!.call('CLUSTER', 'KEYSLOT', 'lab:airport:JFK:iata'));
    expect(inspection).toMatchObject({ type: 'string', encoding: 'embstr', node: client.slots[slot]![0] });
    expect(inspection.bytes).toBeGreaterThan(0);
    expect(inspection.ttlSeconds).toBeGreaterThan(290);
    await clearLabKeys(client);
  });

  it('captures with MONITOR the commands the client sends to every primary, in order', async () => {
    const capture = await captureCommands(client);
    const keys = Array.from({ length: 6 }, (_, i) => `seat:${i}`);
    for (const key of keys) await client.set(key, '1');
    const commands = await capture.stop();
    expect(commands.map((c) => c.args[0])).toEqual(keys.map((k) => `lab:${k}`));
    expect(new Set(commands.map((c) => c.node)).size).toBeGreaterThan(1);
    expect(capture.cluster).toBe(true);
    await clearLabKeys(client);
  });

  it('explains CROSSSLOT with hash tags, and the same keys with one hash tag work', async () => {
    const apart = sameSlot(['flight:1001:seats', 'flight:1001:seatmap'], () =>
      client.mset('flight:1001:seats', '1', 'flight:1001:seatmap', '2'),
    );
    await expect(apart).rejects.toBeInstanceOf(LabError);
    await expect(
      sameSlot(['a', 'b'], () => client.mset('flight:1001:seats', '1', 'flight:1001:seatmap', '2')),
    ).rejects.toThrow(/hash to one slot.* flight:\{1001\}:seats with flight:\{1001\}:seatmap/);
    expect(await client.mset('flight:{1001}:seats', '1', 'flight:{1001}:seatmap', '2')).toBe('OK');
    expect(await client.mget('flight:{1001}:seats', 'flight:{1001}:seatmap')).toEqual(['1', '2']);
    await clearLabKeys(client);
  });

  it('takes CONFIG SET on every node of a cluster this process started', async () => {
    const replies = await adminCommand(client, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    expect(replies).toEqual(['OK', 'OK', 'OK']);
    const policies = await Promise.all(client.nodes('master').map((n) => n.config('GET', 'maxmemory-policy')));
    expect(policies.map((p) => (p as string[])[1])).toEqual(['allkeys-lru', 'allkeys-lru', 'allkeys-lru']);
  });
});

describe("the learner's cluster (npm run cluster)", () => {
  it('outlives the process that started it, with a replica per primary, and stops from its record', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-cluster-detached-'));
    const cluster = await startLocalCluster({ dir, replicas: 1, lifetime: 'detached' });
    try {
      expect(cluster.nodes.map((n) => n.role).sort()).toEqual([
        'primary',
        'primary',
        'primary',
        'replica',
        'replica',
        'replica',
      ]);
      const client = await connectValkeyCluster(cluster.seeds, { keyPrefix: 'lab:' });
      expect(client.nodes('slave').length).toBe(3);
      // The learner's cluster is not this process's to reconfigure.
      await expect(adminCommand(client, 'FLUSHALL')).rejects.toThrow(/only to servers it started itself/);
      client.disconnect();
      expect((await localClusterStatus(dir)).running).toBe(true);
    } finally {
      expect(await stopLocalCluster(dir)).toBe(6);
    }
    expect(cluster.nodes.every((n) => !isAlive(n.pid))).toBe(true);
    expect((await localClusterStatus(dir)).running).toBe(false);
  }, 60_000);
});

describe('VALKEY_CLUSTER_NODES', () => {
  it('reads seed nodes as host:port, separated by commas', () => {
    const config = loadConfig({ env: { VALKEY_CLUSTER_NODES: '127.0.0.1:7001, localhost:7002,[::1]:7003' } });
    expect(config.valkey.clusterNodes).toEqual([
      { host: '127.0.0.1', port: 7001 },
      { host: 'localhost', port: 7002 },
      { host: '::1', port: 7003 },
    ]);
    expect(loadConfig({ env: {} }).valkey.clusterNodes).toBeUndefined();
  });

  it('names the entry that is not host:port, in one line', () => {
    for (const bad of ['127.0.0.1', '127.0.0.1:7001,:7002', '127.0.0.1:99999']) {
      expect(() => loadConfig({ env: { VALKEY_CLUSTER_NODES: bad } })).toThrow(LabError);
    }
    expect(() => loadConfig({ env: { VALKEY_CLUSTER_NODES: '127.0.0.1:7001,redis://x:7002' } })).toThrow(
      'VALKEY_CLUSTER_NODES entry "redis://x:7002" is not host:port. List seed nodes separated by commas, for example VALKEY_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002.',
    );
  });

  it('without a cluster there, says how to start one', async () => {
    const config = loadConfig({ env: { VALKEY_CLUSTER_NODES: `127.0.0.1:${await freePort()}` } });
    await expect(connectValkey(config)).rejects.toThrow(
      /^Cannot reach the Valkey Cluster .* Start it with `npm run cluster -- start`, or fix VALKEY_CLUSTER_NODES\.$/,
    );
  });
});
