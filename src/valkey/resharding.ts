// Where a cluster keeps its slots and keys, and moving a slot range between primaries while clients keep working.

import { performance } from 'node:perf_hooks';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { LabError, errorMessage } from '../errors';
import { connectValkeyUrl, nodeAddress } from './client';
import { parseInfo } from './info';
import { startedHerePid } from './server';

/** The slots a cluster has: 0 … 16383. */
export const CLUSTER_SLOTS = 16_384;

/** One contiguous run of slots and the primary that serves it. */
export interface SlotRange {
  start: number;
  end: number;
  /** `host:port` of the primary. */
  node: string;
}

/** The primaries' slot ranges as the cluster reports them (CLUSTER SLOTS), sorted by first slot. */
export async function clusterSlotRanges(client: Cluster): Promise<SlotRange[]> {
  const first = client.nodes('master')[0];
  if (!first) throw new LabError({ what: 'The cluster client knows no primary' });
  const reply = (await first.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]]]>;
  return reply
    .map(([start, end, [host, port]]) => ({ start, end, node: `${host}:${port}` }))
    .sort((a, b) => a.start - b.start);
}

/** One primary: how many of the lab's keys it holds and how many slots it serves. */
export interface PrimaryKeys {
  node: string;
  keys: number;
  slots: number;
}

/**
 * How the lab's keys matching `pattern` spread over the primaries (SCAN on each, counting only keys
 * with the client's prefix), with each primary's share of the slots.
 */
export async function keysPerPrimary(client: Cluster, pattern = '*'): Promise<PrimaryKeys[]> {
  const prefix = client.options.keyPrefix ?? '';
  const ranges = await clusterSlotRanges(client);
  const nodes = [...new Set(ranges.map((r) => r.node))].sort();
  const byAddress = new Map(client.nodes('master').map((n) => [nodeAddress(n), n]));
  return Promise.all(
    nodes.map(async (node) => {
      const connection = byAddress.get(node);
      let keys = 0;
      if (connection) {
        let cursor = '0';
        do {
          const [next, found] = await connection.scan(cursor, 'MATCH', `${prefix}${pattern}`, 'COUNT', 1000);
          cursor = next;
          keys += found.length;
        } while (cursor !== '0');
      }
      const slots = ranges.filter((r) => r.node === node).reduce((n, r) => n + r.end - r.start + 1, 0);
      return { node, keys, slots };
    }),
  );
}

export interface MoveSlotsOptions {
  /** First and last slot to move (inclusive); all must be served by one primary today. */
  start: number;
  end: number;
  /** `host:port` of the primary that takes them over. */
  to: string;
  /** Keys handed over per MIGRATE. Default 100. */
  keysPerMigrate?: number;
  /** Wait this long after each slot (so a demo's move spans its workload). Default 0. */
  pauseMsPerSlot?: number;
}

/** What a slot move did. */
export interface SlotMove {
  from: string;
  to: string;
  start: number;
  end: number;
  slots: number;
  keys: number;
  /** When the move began and ended, on `performance.now()`'s clock (to line it up with a workload). */
  startedAt: number;
  endedAt: number;
  durationMs: number;
}

/** A connection without key prefix to a node this process started (slot moves name stored keys). */
async function adminConnection(address: string): Promise<Redis> {
  const [host, portText] = address.split(':');
  const port = Number(portText);
  const pid = startedHerePid(port);
  const refuse = new LabError({
    what: 'The lab moves slots only on a cluster it started itself, and this node is not one of them',
    where: address,
    fix: 'Start a local cluster with lab.localCluster() and move slots there.',
  });
  if (!['127.0.0.1', 'localhost'].includes(host ?? '') || pid === undefined) throw refuse;
  const connection = await connectValkeyUrl(`redis://${host}:${port}`, { keyPrefix: '', commandTimeoutMs: 10_000 });
  if (Number(parseInfo(await connection.info('server')).server.process_id) !== pid) {
    connection.disconnect();
    throw refuse;
  }
  return connection;
}

/**
 * Moves slots `start`…`end` to the primary `to`, the way a cluster reshards while serving: per slot,
 * the target is marked IMPORTING and the source MIGRATING (from then on a client asking the source for
 * a key already moved is sent on with ASK), the keys go over with MIGRATE, and the slot is then given to
 * the target on every primary (clients asking elsewhere get MOVED and update their slot map).
 */
export async function moveSlots(client: Cluster, options: MoveSlotsOptions): Promise<SlotMove> {
  const { start, end, to } = options;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end >= CLUSTER_SLOTS || start > end) {
    throw new LabError({
      what: `Slots ${start}…${end} are not a range within 0…${CLUSTER_SLOTS - 1}`,
      fix: 'Pass e.g. { start: 0, end: 99, to: "127.0.0.1:7001" }.',
    });
  }
  const ranges = await clusterSlotRanges(client);
  const owners = new Set(ranges.filter((r) => r.end >= start && r.start <= end).map((r) => r.node));
  const covered = ranges
    .filter((r) => r.end >= start && r.start <= end)
    .reduce((n, r) => n + Math.min(r.end, end) - Math.max(r.start, start) + 1, 0);
  const from = [...owners][0];
  if (owners.size !== 1 || from === undefined || covered !== end - start + 1) {
    throw new LabError({
      what: `Slots ${start}…${end} are not all served by one primary (${[...owners].join(', ') || 'none'})`,
      fix: 'Pick a range inside one primary’s slots: see clusterSlotRanges(client).',
    });
  }
  if (from === to) throw new LabError({ what: `Slots ${start}…${end} are already on ${to}` });
  if (!ranges.some((r) => r.node === to)) {
    throw new LabError({
      what: `${to} is not a primary of this cluster`,
      fix: 'Pick one from clusterSlotRanges(client).',
    });
  }
  const allPrimaries = [...new Set(ranges.map((r) => r.node))];
  const connections = new Map<string, Redis>();
  try {
    for (const address of allPrimaries) connections.set(address, await adminConnection(address));
    const source = connections.get(from)!;
    const target = connections.get(to)!;
    const sourceId = String(await source.call('CLUSTER', 'MYID'));
    const targetId = String(await target.call('CLUSTER', 'MYID'));
    const [toHost, toPort] = to.split(':');
    const batch = options.keysPerMigrate ?? 100;
    const startedAt = performance.now();
    let keys = 0;
    for (let slot = start; slot <= end; slot++) {
      // The target first: once the source says MIGRATING, clients are sent to the target with ASK.
      await target.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId);
      await source.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId);
      for (;;) {
        const names = (await source.call('CLUSTER', 'GETKEYSINSLOT', slot, batch)) as string[];
        if (names.length === 0) break;
        await source.call('MIGRATE', toHost!, toPort!, '', 0, 10_000, 'REPLACE', 'KEYS', ...names);
        keys += names.length;
      }
      // The target first again, so the slot is never without an owner that admits it.
      await target.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
      await source.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
      await Promise.all(
        [...connections]
          .filter(([address]) => address !== from && address !== to)
          .map(([, other]) => other.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId)),
      );
      if (options.pauseMsPerSlot) await new Promise((r) => setTimeout(r, options.pauseMsPerSlot));
    }
    const endedAt = performance.now();
    return { from, to, start, end, slots: end - start + 1, keys, startedAt, endedAt, durationMs: endedAt - startedAt };
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw new LabError({
      what: `Moving slots ${start}…${end} from ${from} to ${to} failed (${errorMessage(error)})`,
      fix: 'Look at `CLUSTER NODES` on the nodes; `valkey-cli --cluster fix` repairs a half-moved slot.',
      cause: error,
    });
  } finally {
    for (const connection of connections.values()) connection.disconnect();
  }
}
