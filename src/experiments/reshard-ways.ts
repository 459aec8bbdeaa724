// Resharding two ways under the same load: slot by slot with MIGRATE (every Valkey), and atomic slot migration
// (`CLUSTER MIGRATESLOTS`, Valkey 9.0). Where the lab's cluster has the newer command, both run on it, each on a
// range of its own; where it has not, the atomic way runs on a second local cluster of the Valkey 9.1 set-up built,
// holding the same keys; with neither, only the older way runs, and the run says so.

import type { Cluster } from 'iovalkey';
import type { Lab, LabCluster } from '../lab';
import { failureWindow } from '../measure/failures';
import { runConcurrent } from '../measure/concurrent';
import { createCacheAside } from '../patterns/cache-aside';
import { builtValkey } from '../valkey/binaries';
import { valkeyServerInfo } from '../valkey/client';
import { detectFeatures, type FeaturePath } from '../valkey/features';
import { storedKey } from '../valkey/keys';
import { clusterSlotRanges, migrateSlots, moveSlots, type SlotMove } from '../valkey/resharding';
import { keySlot } from '../valkey/slots';

/** One way of moving slots, and the cluster it runs on. */
export interface ReshardSide {
  way: FeaturePath;
  /** `MIGRATE key by key` or `CLUSTER MIGRATESLOTS`. */
  name: string;
  client: Cluster;
  /** e.g. `Valkey 9.1.2`. */
  release: string;
}

/** The ways this lab can move slots, and a sentence on where each runs (from this run's detection). */
export async function reshardSides(lab: Lab, cluster: LabCluster): Promise<{ all: ReshardSide[]; ran: string }> {
  const features = await detectFeatures(cluster.client);
  const release = features.server.label;
  const older: ReshardSide = { way: 'fallback', name: 'MIGRATE key by key', client: cluster.client, release };
  if (features.has.atomicSlotMigration) {
    const newer: ReshardSide = { way: 'command', name: 'CLUSTER MIGRATESLOTS', client: cluster.client, release };
    return {
      all: [older, newer],
      ran: `The lab's cluster runs ${release}, which has CLUSTER MIGRATESLOTS (Valkey 9.0): both ways ran on it, each moving a range of its own.`,
    };
  }
  const build = builtValkey(lab.config.root);
  if (!build) {
    return {
      all: [older],
      ran: `The lab's cluster runs ${release}, without CLUSTER MIGRATESLOTS (Valkey 9.0), and no Valkey 9.1 build is here (\`npm run setup -- --valkey 9.1\` makes one): only MIGRATE key by key ran; the comparison is skipped.`,
    };
  }
  const second = await lab.localCluster({ replicas: 0, binaries: { server: build.bin.server, cli: build.bin.cli } });
  const newerRelease = (await valkeyServerInfo(second.client)).label;
  return {
    all: [older, { way: 'command', name: 'CLUSTER MIGRATESLOTS', client: second.client, release: newerRelease }],
    ran: `The lab's cluster runs ${release}, without CLUSTER MIGRATESLOTS (Valkey 9.0): MIGRATE key by key ran on it, and CLUSTER MIGRATESLOTS on a second local cluster of ${newerRelease} (set-up's build), started in ${second.startSeconds.toFixed(1)} s and filled with the same keys.`,
  };
}

/** A move under load: what moved, how long it took, and what the readers saw. */
export interface ReshardUnderLoad {
  way: FeaturePath;
  name: string;
  release: string;
  move: SlotMove;
  /** Keys of `keys` in the moved slots: the ones the readers read. */
  movingKeys: number;
  reads: number;
  /** Reads that started while the slots moved. */
  readsDuringMove: number;
  /** Reads that threw or that the cache did not answer (`cache-error`). */
  failed: number;
}

/**
 * Caches `keys` on the side's cluster (cache-aside, `load` on a miss), then moves a `1/fraction` share of its
 * biggest primary's slots to another primary, the side's way, while 20 callers read the keys of those slots through
 * cache-aside, from a second before the move until a second after it.
 */
export async function reshardUnderLoad(
  side: ReshardSide,
  options: { keys: readonly string[]; load: (key: string) => Promise<unknown>; ttlSeconds?: number; fraction?: number },
): Promise<ReshardUnderLoad> {
  const { client } = side;
  const ttl = options.ttlSeconds ?? 600;
  const cacheAside = createCacheAside(client);
  const read = (key: string) => cacheAside(key, ttl, () => options.load(key));
  await runConcurrent(({ request }) => read(options.keys[request]!), {
    callers: 20,
    requests: options.keys.length,
    name: 'fill',
  });
  const before = await clusterSlotRanges(client);
  const source = [...before].sort((a, b) => b.end - b.start - (a.end - a.start))[0]!;
  const to = before.find((r) => r.node !== source.node)!.node;
  const share = Math.floor((source.end - source.start + 1) / (options.fraction ?? 12));
  const range = { start: source.start, end: source.start + share - 1 };
  const moving = options.keys.filter((key) => {
    const slot = keySlot(storedKey(client, key));
    return slot >= range.start && slot <= range.end;
  });
  let moveEnded = Infinity;
  const t0 = performance.now();
  // Each caller pauses 2 ms between reads: the reads and the move share this process's one thread.
  const workload = runConcurrent(
    async ({ request }) => {
      const answer = await read(moving[request % moving.length]!);
      await new Promise((r) => setTimeout(r, 2));
      return answer;
    },
    { callers: 20, durationMs: 120_000, stopWhen: () => performance.now() > moveEnded + 1000, name: side.name },
  );
  await new Promise((r) => setTimeout(r, 1000));
  const move =
    side.way === 'command' ? await migrateSlots(client, { ...range, to }) : await moveSlots(client, { ...range, to });
  moveEnded = move.endedAt;
  const run = await workload;
  const during = run.records.filter((r) => t0 + r.startMs >= move.startedAt && t0 + r.startMs <= move.endedAt);
  return {
    way: side.way,
    name: side.name,
    release: side.release,
    move,
    movingKeys: moving.length,
    reads: run.records.length,
    readsDuringMove: during.length,
    failed: failureWindow(run).failed,
  };
}
