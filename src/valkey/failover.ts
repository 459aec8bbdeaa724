// Failover on a local cluster the lab started: kill a primary, and wait until a replica has taken its slots.

import { performance } from 'node:perf_hooks';
import type { Cluster } from 'iovalkey';
import { LabError } from '../errors';
import type { ClusterNodeProcess } from './cluster-server';
import { isAlive } from './processes';
import { clusterSlotRanges } from './resharding';
import { parseInfo } from './info';
import { connectValkeyUrl } from './client';
import { startedHerePid } from './server';

/** A primary killed on purpose: which node, and when (on `performance.now()`'s clock). */
export interface KilledNode {
  node: string;
  pid: number;
  killedAt: number;
}

/**
 * Kills a cluster node with SIGKILL, as a crash would end it (no goodbye to clients or peers). Only a
 * node this process started and that is still that very process (checked by port and process id).
 */
export async function killClusterNode(node: ClusterNodeProcess): Promise<KilledNode> {
  const address = `${node.host}:${node.port}`;
  const refuse = new LabError({
    what: 'The lab kills only cluster nodes it started itself, and this is not one of them',
    where: address,
    fix: 'Pick a node from the cluster lab.localCluster() returned.',
  });
  if (startedHerePid(node.port) !== node.pid) throw refuse;
  const probe = await connectValkeyUrl(`redis://${node.host}:${node.port}`, { keyPrefix: '' });
  try {
    if (Number(parseInfo(await probe.info('server')).server.process_id) !== node.pid) throw refuse;
  } finally {
    probe.disconnect();
  }
  process.kill(node.pid, 'SIGKILL');
  const killedAt = performance.now();
  const deadline = Date.now() + 5_000;
  while (isAlive(node.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return { node: address, pid: node.pid, killedAt };
}

/** The replica that took over, and when the cluster again served every slot. */
export interface Promotion {
  /** `host:port` of the new primary. */
  promoted: string;
  /** When every slot had a live primary again (`performance.now()`'s clock). */
  servedAt: number;
}

/**
 * Waits until none of the cluster's slots is served by `formerPrimary` any more (a replica was
 * promoted) and the surviving nodes report cluster_state:ok. Asks the surviving primaries directly.
 */
export async function waitForPromotion(
  client: Cluster,
  formerPrimary: string,
  options: { timeoutMs?: number; survivors: readonly ClusterNodeProcess[] },
): Promise<Promotion> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const survivors = options.survivors.filter((n) => `${n.host}:${n.port}` !== formerPrimary);
  const formerSlots = new Set(
    (await clusterSlotRanges(client).catch(() => [])).filter((r) => r.node === formerPrimary).map((r) => r.start),
  );
  while (Date.now() < deadline) {
    for (const node of survivors) {
      const probe = await connectValkeyUrl(`redis://${node.host}:${node.port}`, { keyPrefix: '' }).catch(
        () => undefined,
      );
      if (!probe) continue;
      try {
        const info = String(await probe.call('CLUSTER', 'INFO'));
        const slots = (await probe.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
        const owners = slots.map(([start, , [host, port]]) => ({ start, node: `${host}:${port}` }));
        const stillFormer = owners.some((o) => o.node === formerPrimary);
        if (info.includes('cluster_state:ok') && !stillFormer) {
          const taker = owners.find((o) => formerSlots.has(o.start)) ?? owners[0];
          return { promoted: taker?.node ?? 'unknown', servedAt: performance.now() };
        }
      } catch {
        // a node still electing or busy: ask the next one
      } finally {
        probe.disconnect();
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LabError({
    what: `No replica took over from ${formerPrimary} within ${timeoutMs / 1000} s`,
    fix: 'Check that the cluster was started with replicas: lab.localCluster({ replicas: 1 }).',
  });
}
