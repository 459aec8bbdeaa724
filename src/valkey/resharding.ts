// Where a cluster keeps its slots and keys, and moving a slot range between primaries while clients keep working.

import { performance } from 'node:perf_hooks';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { LabError, errorMessage } from '../errors';
import { connectValkeyUrl, nodeAddress } from './client';
import { detectFeatures, type FeaturePath } from './features';
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
  /** How the slots moved: `CLUSTER MIGRATESLOTS` (atomic, Valkey 9.0) or `SETSLOT + MIGRATE` (slot by slot, key by key). */
  command: 'CLUSTER MIGRATESLOTS' | 'SETSLOT + MIGRATE';
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

/** A checked move: the range, the one primary serving it today, and every primary. */
interface PlannedMove {
  start: number;
  end: number;
  from: string;
  to: string;
  primaries: string[];
}

async function planMove(client: Cluster, { start, end, to }: MoveSlotsOptions): Promise<PlannedMove> {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end >= CLUSTER_SLOTS || start > end) {
    throw new LabError({
      what: `Slots ${start}…${end} are not a range within 0…${CLUSTER_SLOTS - 1}`,
      fix: 'Pass e.g. { start: 0, end: 99, to: "127.0.0.1:7001" }.',
    });
  }
  const ranges = await clusterSlotRanges(client);
  const overlapping = ranges.filter((r) => r.end >= start && r.start <= end);
  const owners = new Set(overlapping.map((r) => r.node));
  const covered = overlapping.reduce((n, r) => n + Math.min(r.end, end) - Math.max(r.start, start) + 1, 0);
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
  return { start, end, from, to, primaries: [...new Set(ranges.map((r) => r.node))] };
}

/** Runs `move` with an admin connection to every primary, turning a failure into one LabError. */
async function withPrimaries<T>(plan: PlannedMove, move: (connections: Map<string, Redis>) => Promise<T>): Promise<T> {
  const connections = new Map<string, Redis>();
  try {
    for (const address of plan.primaries) connections.set(address, await adminConnection(address));
    return await move(connections);
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw new LabError({
      what: `Moving slots ${plan.start}…${plan.end} from ${plan.from} to ${plan.to} failed (${errorMessage(error)})`,
      fix: 'Look at `CLUSTER NODES` on the nodes; `valkey-cli --cluster fix` repairs a half-moved slot.',
      cause: error,
    });
  } finally {
    for (const connection of connections.values()) connection.disconnect();
  }
}

/**
 * Moves slots `start`…`end` to the primary `to`, the way a cluster reshards while serving: per slot,
 * the target is marked IMPORTING and the source MIGRATING (from then on a client asking the source for
 * a key already moved is sent on with ASK), the keys go over with MIGRATE, and the slot is then given to
 * the target on every primary (clients asking elsewhere get MOVED and update their slot map).
 */
export async function moveSlots(client: Cluster, options: MoveSlotsOptions): Promise<SlotMove> {
  const plan = await planMove(client, options);
  const { start, end, from, to } = plan;
  return withPrimaries(plan, async (connections) => {
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
    const command = 'SETSLOT + MIGRATE' as const;
    return {
      from,
      to,
      start,
      end,
      slots: end - start + 1,
      keys,
      command,
      startedAt,
      endedAt,
      durationMs: endedAt - startedAt,
    };
  });
}

/** A slot move and which way it ran. */
export interface SlotMigration extends SlotMove {
  path: FeaturePath;
}

/** One job of CLUSTER GETSLOTMIGRATIONS (a flat list of names and values, as RESP2 gives a map). */
function migrationJobs(reply: unknown): Array<Record<string, string>> {
  return (reply as unknown[][]).map((flat) => {
    const job: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) job[String(flat[i])] = String(flat[i + 1]);
    return job;
  });
}

/**
 * Moves slots `start`…`end` to the primary `to` with atomic slot migration where the cluster has it (Valkey
 * 9.0: `CLUSTER MIGRATESLOTS` on the source, which sends the slots' data to the target as a stream and hands
 * the slots over in one step, without ASK redirections), else slot by slot with MIGRATE (`moveSlots`). Returns
 * when every primary sees the target as the owner. `pauseMsPerSlot` and `keysPerMigrate` apply to the fallback only.
 */
export async function migrateSlots(
  client: Cluster,
  options: MoveSlotsOptions & { timeoutMs?: number },
): Promise<SlotMigration> {
  if (!(await detectFeatures(client)).has.atomicSlotMigration) {
    return { ...(await moveSlots(client, options)), path: 'fallback' };
  }
  const plan = await planMove(client, options);
  const { start, end, from, to } = plan;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return withPrimaries(plan, async (connections) => {
    const source = connections.get(from)!;
    const targetId = String(await connections.get(to)!.call('CLUSTER', 'MYID'));
    const counts = source.pipeline();
    for (let slot = start; slot <= end; slot++) counts.call('CLUSTER', 'COUNTKEYSINSLOT', slot);
    const keys = ((await counts.exec()) ?? []).reduce((n, [, count]) => n + Number(count), 0);
    // GETSLOTMIGRATIONS names a range `start-end` (a single slot perhaps by itself).
    const range = `${start}-${end}`;
    const sameRange = (text = '') => text === range || (start === end && text === String(start));
    const earlier = new Set(migrationJobs(await source.call('CLUSTER', 'GETSLOTMIGRATIONS')).map((job) => job.name));
    const startedAt = performance.now();
    await source.call('CLUSTER', 'MIGRATESLOTS', 'SLOTSRANGE', start, end, 'NODE', targetId);
    for (;;) {
      const job = migrationJobs(await source.call('CLUSTER', 'GETSLOTMIGRATIONS')).find(
        (j) => !earlier.has(j.name ?? '') && j.operation === 'EXPORT' && sameRange(j.slot_ranges),
      );
      if (job?.state === 'success') break;
      if (job && ['failed', 'cancelled'].includes(job.state ?? '')) {
        throw new LabError({
          what: `CLUSTER MIGRATESLOTS of slots ${range} to ${to} ended ${job.state}${job.message ? ` (${job.message})` : ''}`,
          where: from,
          fix: 'See CLUSTER GETSLOTMIGRATIONS on the source and the nodes’ logs.',
        });
      }
      if (performance.now() - startedAt > timeoutMs) {
        throw new LabError({
          what: `CLUSTER MIGRATESLOTS of slots ${range} to ${to} did not finish within ${timeoutMs / 1000} s (state ${job?.state ?? 'unknown'})`,
          where: from,
          fix: 'See CLUSTER GETSLOTMIGRATIONS on the source; CLUSTER CANCELSLOTMIGRATIONS stops it.',
        });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    // Done when every primary sees the target owning the range (they learn it by gossip).
    await waitForOwner(connections, start, end, to, timeoutMs);
    const endedAt = performance.now();
    const command = 'CLUSTER MIGRATESLOTS' as const;
    return {
      from,
      to,
      start,
      end,
      slots: end - start + 1,
      keys,
      command,
      path: 'command' as const,
      startedAt,
      endedAt,
      durationMs: endedAt - startedAt,
    };
  });
}

async function waitForOwner(
  connections: Map<string, Redis>,
  start: number,
  end: number,
  to: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const owns = async (node: Redis) => {
    const reply = (await node.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    const covered = reply
      .filter(([, , [host, port]]) => `${host}:${port}` === to)
      .reduce((n, [s, e]) => n + Math.max(0, Math.min(e, end) - Math.max(s, start) + 1), 0);
    return covered === end - start + 1;
  };
  while (!(await Promise.all([...connections.values()].map(owns))).every(Boolean)) {
    if (performance.now() > deadline) {
      throw new LabError({
        what: `Not every primary sees ${to} owning slots ${start}…${end} within ${timeoutMs / 1000} s`,
        fix: 'Look at `CLUSTER NODES` on the nodes.',
      });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
