// Persistence drills on private servers: a stream of acknowledged writes, the server SIGKILLed mid-stream and
// restarted from its own files; how many acknowledged writes each setting keeps, and how long the restart takes.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../config';
import { LabError } from '../errors';
import { connectValkeyUrl } from '../valkey/client';
import { parseInfo } from '../valkey/info';
import { freePort, rawCommand, startPrivateValkey, type PrivateValkey } from '../valkey/server';
import type Redis from 'iovalkey';

/** The four settings the lab compares, from "nothing on disk" to "every write on disk before its answer". */
export type PersistenceSetting = 'none' | 'rdb' | 'aof-everysec' | 'aof-always';

/** Each setting as valkey-server configuration, and what it promises in one line. */
export const PERSISTENCE_SETTINGS: Record<PersistenceSetting, { config: Record<string, string>; promise: string }> = {
  none: { config: { save: '', appendonly: 'no' }, promise: 'nothing is written to disk' },
  rdb: {
    // Fires during a drill: a snapshot once a second while at least 100 keys changed.
    config: { save: '1 100', appendonly: 'no' },
    promise: 'a snapshot (RDB) once more than a second passed and 100 keys changed',
  },
  'aof-everysec': {
    config: { save: '', appendonly: 'yes', appendfsync: 'everysec' },
    promise: 'every write appended to the AOF before its answer; flushed to the disk once a second',
  },
  'aof-always': {
    config: { save: '', appendonly: 'yes', appendfsync: 'always' },
    promise: 'every write appended to the AOF and flushed to the disk before its answer',
  },
};

export interface CrashDrillOptions {
  /** A name for tables and charts (default: the setting's, or "custom"). */
  name?: string;
  /** Persistence settings: one of PERSISTENCE_SETTINGS or any valkey-server configuration. */
  setting: PersistenceSetting | Record<string, string>;
  /** Cache entries written before the stream (100 bytes each), so the restart has something to load. Default 50,000. */
  preloadKeys?: number;
  /**
   * How long the stream of writes runs before the server is killed. Default 2,500 ms: longer than the time between
   * two snapshots of the `rdb` setting (its rule counts whole seconds, so up to about two), so one falls inside.
   */
  streamMs?: number;
  /** The valkey-server to run (default: the lab's). */
  binary?: string;
}

/** What one drill saw: the writes the server acknowledged, those its files kept, and the restart. */
export interface CrashDrill {
  name: string;
  config: Record<string, string>;
  /** The server's release. */
  version: string;
  /** The persistence settings the server ran with (CONFIG GET: defaults included), e.g. `appendfsync: 'everysec'`. */
  running: { appendonly: string; appendfsync: string; save: string };
  /** XADDs the server answered before it was killed: each one a write the client was told had happened. */
  acknowledged: number;
  /** Of those, the entries found in the stream after the restart. */
  kept: number;
  /** acknowledged − kept: writes the client was told had happened and that are gone. */
  lost: number;
  /** Sent without an answer when the server died (0 or 1: one write at a time). */
  inFlight: number;
  /** Entries found after the restart that were never acknowledged (the one in flight, if its answer never came). */
  keptUnacknowledged: number;
  /** Acknowledged writes per second during the stream. */
  writesPerSecond: number;
  /** Cache entries written before the stream, and how many the restart brought back. */
  preloaded: number;
  preloadKept: number;
  /** Snapshots the server started during the stream (INFO persistence `rdb_saves`, before it and at the kill). */
  snapshots: number;
  /** Files in the server's folder when it restarts (data files only), with their sizes. */
  files: Array<{ file: string; bytes: number }>;
  /** From starting the process again to its first PONG, in ms (loading included: a loading server says LOADING). */
  restartMs: number;
  /** What the server's log says it loaded, and how long that took by its own clock (undefined: it loaded nothing). */
  loaded?: { from: 'RDB' | 'AOF'; seconds: number };
}

/** The stream the drills write: a write-behind queue's, one entry per write. */
export const DRILL_STREAM = 'queue:bookings';
const PRELOAD_VALUE = 'x'.repeat(100);

/**
 * Runs one crash drill on a private server the lab starts (and removes): preloads `preloadKeys` cache entries, then
 * writes a stream of XADDs one at a time, recording each acknowledgement, SIGKILLs the server after `streamMs`,
 * restarts it from the same folder, and counts what survived.
 */
export async function crashDrill(options: CrashDrillOptions): Promise<CrashDrill> {
  const config = typeof options.setting === 'string' ? PERSISTENCE_SETTINGS[options.setting].config : options.setting;
  const name = options.name ?? (typeof options.setting === 'string' ? options.setting : 'custom');
  const preloadKeys = options.preloadKeys ?? 50_000;
  const streamMs = options.streamMs ?? 2_500;
  const scratch = path.join(projectRoot(), '.lab', 'private');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'drill-'));
  let first: PrivateValkey | undefined;
  let second: PrivateValkey | undefined;
  let client: Redis | undefined;
  try {
    first = await startPrivateValkey({ dir, config, binary: options.binary });
    client = await connectValkeyUrl(first.url, { keyPrefix: '' });
    const version = String(parseInfo(await client.info('server')).server?.valkey_version ?? '?');
    const running = await runningSettings(client);
    await preload(client, preloadKeys);

    const stream = await writeUntilKilled(client, first, streamMs);
    client.disconnect();
    client = undefined;
    // A snapshot the killed server forked may still be writing: let it end before the files are read again.
    await waitForServerChildren(first.port);
    const files = dataFiles(dir);
    const logBefore = logLength(dir);
    const restartStarted = performance.now();
    second = await startPrivateValkey({ dir, config, binary: options.binary, port: await freePort() });
    const restartMs = performance.now() - restartStarted;
    client = await connectValkeyUrl(second.url, { keyPrefix: '' });
    const seqs = await streamSeqs(client);
    const preloadKept = await countPreloaded(client);
    const kept = stream.acknowledged.filter((seq) => seqs.has(seq)).length;
    const ackSet = new Set(stream.acknowledged);
    return {
      name,
      config,
      version,
      running,
      acknowledged: stream.acknowledged.length,
      kept,
      lost: stream.acknowledged.length - kept,
      inFlight: stream.inFlight,
      keptUnacknowledged: [...seqs].filter((seq) => !ackSet.has(seq)).length,
      writesPerSecond: stream.acknowledged.length / (stream.elapsedMs / 1000),
      preloaded: preloadKeys,
      preloadKept,
      snapshots: stream.snapshots,
      files,
      restartMs,
      loaded: loadedFromLog(dir, logBefore),
    };
  } finally {
    client?.disconnect();
    await first?.stop();
    await second?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the drill once per setting, one after the other (they share the machine's disk). */
export async function crashDrills(
  settings: readonly PersistenceSetting[] = ['none', 'rdb', 'aof-everysec', 'aof-always'],
  options: Omit<CrashDrillOptions, 'setting' | 'name'> = {},
): Promise<CrashDrill[]> {
  const drills: CrashDrill[] = [];
  for (const setting of settings) drills.push(await crashDrill({ ...options, setting }));
  return drills;
}

async function runningSettings(client: Redis): Promise<CrashDrill['running']> {
  const read = async (name: string) => ((await client.call('CONFIG', 'GET', name)) as string[])[1] ?? '';
  return { appendonly: await read('appendonly'), appendfsync: await read('appendfsync'), save: await read('save') };
}

async function preload(client: Redis, keys: number): Promise<void> {
  for (let from = 0; from < keys; from += 1_000) {
    const pipeline = client.pipeline();
    for (let i = from; i < Math.min(keys, from + 1_000); i++) pipeline.set(`cache:${i}`, PRELOAD_VALUE);
    await pipeline.exec();
  }
}

/**
 * XADDs one entry at a time (field `seq`), each awaited, and kills the server after `streamMs`: the writes
 * acknowledged, the one in flight, and the snapshots completed just before the kill.
 */
async function writeUntilKilled(
  client: Redis,
  server: PrivateValkey,
  streamMs: number,
): Promise<{ acknowledged: number[]; inFlight: number; elapsedMs: number; snapshots: number }> {
  const acknowledged: number[] = [];
  let inFlight = 0;
  let killed = false;
  let snapshots = 0;
  const savesNow = async () =>
    Number(/rdb_saves:(\d+)/.exec(await rawCommand(server.port, 'INFO persistence'))?.[1] ?? 0);
  const savesBefore = await savesNow();
  const started = performance.now();
  const kill = (async () => {
    await new Promise((resolve) => setTimeout(resolve, streamMs));
    // Read just before the kill, on another connection: the writer keeps writing meanwhile.
    snapshots = (await savesNow()) - savesBefore;
    killed = true;
    await server.crash();
  })();
  for (let seq = 1; !killed; seq++) {
    try {
      inFlight = 1;
      await client.xadd(DRILL_STREAM, '*', 'seq', String(seq));
      inFlight = 0;
      acknowledged.push(seq);
    } catch {
      break; // the server is gone: this write got no answer
    }
  }
  await kill;
  return { acknowledged, inFlight, elapsedMs: performance.now() - started, snapshots };
}

/** The `seq` of every entry in the drill's stream. */
async function streamSeqs(client: Redis): Promise<Set<number>> {
  const seqs = new Set<number>();
  let start = '-';
  for (;;) {
    const entries = await client.xrange(DRILL_STREAM, start, '+', 'COUNT', 10_000);
    for (const [, fields] of entries) seqs.add(Number(fields[1]));
    if (entries.length < 10_000) return seqs;
    start = `(${entries[entries.length - 1]![0]}`;
  }
}

async function countPreloaded(client: Redis): Promise<number> {
  const keys = await client.dbsize();
  return keys - ((await client.exists(DRILL_STREAM)) ? 1 : 0);
}

/** RDB and AOF files in a server's folder (the AOF in its own folder since Valkey 7), biggest first. */
function dataFiles(dir: string): Array<{ file: string; bytes: number }> {
  const found: Array<{ file: string; bytes: number }> = [];
  const visit = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (/\.(rdb|aof)$/.test(name)) found.push({ file: path.relative(dir, full), bytes: statSync(full).size });
    }
  };
  visit(dir);
  return found.sort((a, b) => b.bytes - a.bytes);
}

/** Waits until no snapshot or rewrite child of the server that listened on `port` runs any more (at most 10 s). */
async function waitForServerChildren(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const busy = readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .some((pid) => {
        try {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          return cmd.startsWith('valkey-') && cmd.includes(`:${port}`);
        } catch {
          return false;
        }
      });
    if (!busy) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new LabError({
    what: `A child of the killed Valkey on port ${port} (a snapshot being written) did not end within 10 s`,
    fix: 'Look for a valkey-rdb-bgsave process and end it, then run the drill again.',
  });
}

function logLength(dir: string): number {
  const log = path.join(dir, 'valkey.log');
  return existsSync(log) ? statSync(log).size : 0;
}

/** What the restarted server's log says it loaded: "DB loaded from disk: 0.012 seconds" (RDB) or "…append only file…". */
function loadedFromLog(dir: string, from: number): CrashDrill['loaded'] {
  const log = readFileSync(path.join(dir, 'valkey.log'), 'utf8').slice(from);
  const aof = /DB loaded from append only file: ([\d.]+) seconds/.exec(log);
  if (aof) return { from: 'AOF', seconds: Number(aof[1]) };
  const rdb = /DB loaded from disk: ([\d.]+) seconds/.exec(log);
  return rdb ? { from: 'RDB', seconds: Number(rdb[1]) } : undefined;
}

/** A backup and its restore: the snapshot file copied aside, and a fresh server started from the copy. */
export interface BackupRestore {
  /** The snapshot's size in bytes. */
  bytes: number;
  /** Keys on the server when the backup was taken, and on the server restored from it. */
  keysBefore: number;
  keysRestored: number;
  /** From starting the restored server to its first PONG, in ms. */
  restoreMs: number;
}

/**
 * Takes a backup of a private server the lab started (`BGSAVE`, then the `dump.rdb` it wrote copied to a folder of
 * the lab's own), starts a fresh server from the copy and counts its keys. The copy and the restored server are
 * removed before it returns.
 */
export async function backupAndRestore(client: Redis): Promise<BackupRestore> {
  const [, dir] = (await client.call('CONFIG', 'GET', 'dir')) as [string, string];
  const [, file] = (await client.call('CONFIG', 'GET', 'dbfilename')) as [string, string];
  const keysBefore = await client.dbsize();
  // LASTSAVE counts whole seconds: the count of completed snapshots tells a new one apart even within a second.
  const saves = async () => {
    const persistence = parseInfo(await client.info('persistence')).persistence ?? {};
    return Number(persistence.rdb_bgsave_in_progress) === 0 ? Number(persistence.rdb_saves) : Number.NaN;
  };
  const savesBefore = await saves();
  await client.bgsave();
  const deadline = Date.now() + 30_000;
  while (!((await saves()) > savesBefore)) {
    if (Date.now() > deadline) throw new LabError({ what: 'BGSAVE did not finish within 30 s', where: dir });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const scratch = path.join(projectRoot(), '.lab', 'private');
  const restoreDir = mkdtempSync(path.join(scratch, 'restore-'));
  let restored: PrivateValkey | undefined;
  let restoredClient: Redis | undefined;
  try {
    copyFileSync(path.join(dir, file), path.join(restoreDir, 'dump.rdb'));
    const bytes = statSync(path.join(restoreDir, 'dump.rdb')).size;
    const started = performance.now();
    restored = await startPrivateValkey({ dir: restoreDir, config: { dbfilename: 'dump.rdb' } });
    const restoreMs = performance.now() - started;
    restoredClient = await connectValkeyUrl(restored.url, { keyPrefix: '' });
    return { bytes, keysBefore, keysRestored: await restoredClient.dbsize(), restoreMs };
  } finally {
    restoredClient?.disconnect();
    await restored?.stop();
    rmSync(restoreDir, { recursive: true, force: true });
  }
}
