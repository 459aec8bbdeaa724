// Durable write-behind: a write lands in the cache and on a Valkey Stream in one step; a worker in a consumer
// group applies each entry to the database and acknowledges it only after the commit.

import type { Cluster, Redis } from 'iovalkey';
import { errorMessage } from '../errors';

type Client = Redis | Cluster;

/** The name Valkey stores for `key` (XGROUP and XINFO name their stream after a subcommand, where the client's prefix does not reach). */
function stored(client: Client, key: string): string {
  const options = client.options as { keyPrefix?: string; redisOptions?: { keyPrefix?: string } };
  return `${options.keyPrefix ?? options.redisOptions?.keyPrefix ?? ''}${key}`;
}

export interface WriteBehindOptions {
  /** The stream the writes queue on. On a cluster, give it and the keys written one hash tag (`wb:{drill}:stream`). */
  stream: string;
  /** Cached values expire after this long (the database keeps them for good once applied). */
  ttlSeconds: number;
}

export interface WriteBehindEnqueued {
  key: string;
  writeId: string;
  /** The entry's id on the stream. */
  streamId: string;
  elapsedMs: number;
}

export interface WriteBehind {
  /** Stores `value` under `key` and queues it for the database, atomically (MULTI ... EXEC). */
  write(key: string, value: string, writeId: string): Promise<WriteBehindEnqueued>;
}

/** A write-behind writer: the cache answers reads at once, the database catches up through the stream. */
export function createWriteBehind(valkey: Client, options: WriteBehindOptions): WriteBehind {
  return {
    async write(key, value, writeId) {
      const started = performance.now();
      // Both commands or neither: a value in the cache that never reaches the stream would be lost for the
      // database, and an entry on the stream without the cached value would make reads go back in time.
      const replies = await valkey
        .multi()
        .set(key, value, 'EX', options.ttlSeconds)
        .xadd(options.stream, '*', 'key', key, 'value', value, 'write_id', writeId)
        .exec();
      if (!replies) throw new Error(`The write-behind transaction for ${key} was aborted`);
      for (const [error] of replies) if (error) throw error;
      const streamId = String(replies[1]![1]);
      return { key, writeId, streamId, elapsedMs: performance.now() - started };
    },
  };
}

/** One entry taken off the stream. */
export interface StreamEntry {
  id: string;
  key: string;
  value: string;
  writeId: string;
}

/** What applying an entry did: `applied` (committed now) or `duplicate` (its idempotency key was already there). */
export type ApplyResult = 'applied' | 'duplicate';

/**
 * What the worker did, one event per entry (or per recovery step):
 * - `applied` / `duplicate`: committed (or found committed before) and acknowledged;
 * - `failed`: applying threw; the entry stays pending and is retried;
 * - `dead-lettered`: it failed `maxDeliveries` times and was moved to the dead-letter stream with the reason;
 * - `recovered`: entries this consumer had been given before a restart, taken back;
 * - `claimed`: entries another consumer left pending for too long, claimed with XAUTOCLAIM.
 */
export interface WorkerEvent {
  kind: 'applied' | 'duplicate' | 'failed' | 'dead-lettered' | 'recovered' | 'claimed';
  id?: string;
  writeId?: string;
  count?: number;
  reason?: string;
}

export interface WriteBehindWorkerOptions {
  stream: string;
  group: string;
  /** A stable name: after a restart the worker takes back what this name had been given. */
  consumer: string;
  /** Where entries that keep failing go, with the reason. */
  deadLetterStream: string;
  /** Commits the entry to the database; must be idempotent per entry id. */
  apply(entry: StreamEntry): Promise<ApplyResult>;
  /** Deliveries before an entry is dead-lettered (default 5). */
  maxDeliveries?: number;
  /** Entries pending on another consumer for longer than this are claimed (default 5 s). */
  claimIdleMs?: number;
  /** Entries per read (default 50). */
  batch?: number;
  /** How long one read waits for new entries (default 200 ms). */
  blockMs?: number;
  /** How often failed entries of this consumer are tried again (default 200 ms). */
  retryEveryMs?: number;
  /**
   * Runs before `apply`, saying where the entry came from: read new, taken back as this consumer's own after a
   * restart, or claimed from another consumer (the fault tests stop the worker here).
   */
  beforeApply?(entry: StreamEntry, source: EntrySource): Promise<void>;
  /** Runs after the commit and before the acknowledgement (the crash drill stops the worker here). */
  afterCommit?(entry: StreamEntry, result: ApplyResult): Promise<void>;
  onEvent?(event: WorkerEvent): void;
}

export interface WorkerCounts {
  applied: number;
  duplicate: number;
  failed: number;
  deadLettered: number;
  recovered: number;
  claimed: number;
}

export interface WriteBehindWorker {
  /** Creates the group if needed, takes back this consumer's pending entries and claims stale ones. */
  start(): Promise<WorkerCounts>;
  /** One round: retry own failures, claim stale entries, read new ones. Returns how many entries it handled. */
  step(): Promise<number>;
  /** Steps until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  readonly counts: WorkerCounts;
}

/** Where an entry handed to `apply` came from. */
export type EntrySource = 'new' | 'own' | 'claimed';

type RawEntry = [string, string[] | null];

function toEntry([id, fields]: RawEntry): StreamEntry | null {
  if (!fields) return null; // deleted from the stream while still pending: nothing left to apply
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return { id, key: map.key ?? '', value: map.value ?? '', writeId: map.write_id ?? '' };
}

/** Creates the consumer group (and the stream) unless it exists. */
export async function ensureConsumerGroup(valkey: Client, stream: string, group: string): Promise<void> {
  try {
    await valkey.xgroup('CREATE', stored(valkey, stream), group, '0', 'MKSTREAM');
  } catch (error) {
    if (!/BUSYGROUP/.test(errorMessage(error))) throw error;
  }
}

/** Entries on the stream not yet acknowledged (delivered or not): 0 means the database has caught up. */
export async function streamBacklog(valkey: Client, stream: string): Promise<number> {
  // Acknowledged entries are deleted in the same step, so what is left is exactly the backlog.
  return valkey.xlen(stream);
}

/**
 * A worker over the consumer group. It acknowledges an entry only after `apply` committed it, so a crash at
 * any point leaves the entry pending; the next start (or another consumer, after `claimIdleMs`) delivers it
 * again, and the idempotent `apply` answers `duplicate` for what had already been committed.
 */
export function createWriteBehindWorker(valkey: Client, options: WriteBehindWorkerOptions): WriteBehindWorker {
  const maxDeliveries = options.maxDeliveries ?? 5;
  const claimIdleMs = options.claimIdleMs ?? 5_000;
  const batch = options.batch ?? 50;
  const blockMs = options.blockMs ?? 200;
  const retryEveryMs = options.retryEveryMs ?? 200;
  const counts: WorkerCounts = { applied: 0, duplicate: 0, failed: 0, deadLettered: 0, recovered: 0, claimed: 0 };
  const lastProblem = new Map<string, string>();
  let lastRetry = 0;
  let lastClaim = 0;
  const emit = (event: WorkerEvent) => options.onEvent?.(event);
  const { stream, group, consumer } = options;

  async function acknowledge(id: string): Promise<void> {
    // Deleting with the acknowledgement keeps the stream to the backlog alone.
    await valkey.multi().xack(stream, group, id).xdel(stream, id).exec();
  }

  async function deliveriesOf(id: string): Promise<number> {
    const rows = (await valkey.xpending(stream, group, id, id, 1)) as Array<[string, string, number, number]>;
    return Number(rows[0]?.[3] ?? 0);
  }

  async function handle(entry: StreamEntry, source: EntrySource): Promise<void> {
    await options.beforeApply?.(entry, source);
    let result: ApplyResult;
    try {
      result = await options.apply(entry);
    } catch (error) {
      const reason = errorMessage(error);
      lastProblem.set(entry.id, reason);
      counts.failed += 1;
      emit({ kind: 'failed', id: entry.id, writeId: entry.writeId, reason });
      if ((await deliveriesOf(entry.id)) >= maxDeliveries) await deadLetter(entry, reason);
      return;
    }
    await options.afterCommit?.(entry, result);
    await acknowledge(entry.id);
    lastProblem.delete(entry.id);
    counts[result === 'applied' ? 'applied' : 'duplicate'] += 1;
    emit({ kind: result, id: entry.id, writeId: entry.writeId });
  }

  async function deadLetter(entry: StreamEntry, reason: string): Promise<void> {
    const deliveries = await deliveriesOf(entry.id);
    await valkey
      .multi()
      .xadd(
        options.deadLetterStream,
        '*',
        'key',
        entry.key,
        'value',
        entry.value,
        'write_id',
        entry.writeId,
        'original_id',
        entry.id,
        'deliveries',
        String(deliveries),
        'reason',
        reason,
      )
      .xack(stream, group, entry.id)
      .xdel(stream, entry.id)
      .exec();
    lastProblem.delete(entry.id);
    counts.deadLettered += 1;
    emit({ kind: 'dead-lettered', id: entry.id, writeId: entry.writeId, reason });
  }

  async function handleAll(raw: RawEntry[], source: EntrySource): Promise<number> {
    let handled = 0;
    for (const item of raw) {
      const entry = toEntry(item);
      if (!entry) continue;
      await handle(entry, source);
      handled += 1;
    }
    return handled;
  }

  /** This consumer's own pending entries (delivered before, never acknowledged), read again from id 0. */
  async function ownPending(): Promise<RawEntry[]> {
    const reply = (await valkey.xreadgroup('GROUP', group, consumer, 'COUNT', batch, 'STREAMS', stream, '0')) as Array<
      [string, RawEntry[]]
    > | null;
    return reply?.[0]?.[1] ?? [];
  }

  async function claimStale(): Promise<RawEntry[]> {
    const reply = (await valkey.xautoclaim(stream, group, consumer, claimIdleMs, '0-0', 'COUNT', batch)) as [
      string,
      RawEntry[],
      string[]?,
    ];
    return reply[1] ?? [];
  }

  async function readNew(): Promise<RawEntry[]> {
    const reply = (await valkey.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      batch,
      'BLOCK',
      blockMs,
      'STREAMS',
      stream,
      '>',
    )) as Array<[string, RawEntry[]]> | null;
    return reply?.[0]?.[1] ?? [];
  }

  const worker: WriteBehindWorker = {
    counts,

    async start() {
      await ensureConsumerGroup(valkey, stream, group);
      for (;;) {
        const pending = await ownPending();
        if (pending.length === 0) break;
        counts.recovered += pending.length;
        emit({ kind: 'recovered', count: pending.length });
        const handled = await handleAll(pending, 'own');
        if (handled < pending.length || lastProblem.size > 0) break; // failures wait for the retry rounds
      }
      const claimed = await claimStale();
      lastClaim = Date.now();
      if (claimed.length > 0) {
        counts.claimed += claimed.length;
        emit({ kind: 'claimed', count: claimed.length });
        await handleAll(claimed, 'claimed');
      }
      return { ...counts };
    },

    async step() {
      let handled = 0;
      const now = Date.now();
      if (lastProblem.size > 0 && now - lastRetry >= retryEveryMs) {
        lastRetry = now;
        handled += await handleAll(await ownPending(), 'own');
      }
      if (now - lastClaim >= Math.min(claimIdleMs, 1_000)) {
        lastClaim = now;
        const claimed = await claimStale();
        if (claimed.length > 0) {
          counts.claimed += claimed.length;
          emit({ kind: 'claimed', count: claimed.length });
          handled += await handleAll(claimed, 'claimed');
        }
      }
      handled += await handleAll(await readNew(), 'new');
      return handled;
    },

    async run(signal) {
      while (!signal.aborted) await worker.step();
    },
  };
  return worker;
}

/** What the dead-letter stream holds: each entry with why it was given up. */
export async function readDeadLetters(
  valkey: Client,
  deadLetterStream: string,
): Promise<Array<{ id: string } & Record<string, string>>> {
  const entries = (await valkey.xrange(deadLetterStream, '-', '+')) as Array<[string, string[]]>;
  return entries.map(([id, fields]) => {
    const map: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
    return { id, ...map };
  });
}
