// One call that opens everything a notebook needs (configuration, SQL engine, Valkey) and owns what the notebook starts.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { loadConfig, type EngineKind, type LabConfig } from './config';
import { connectSql, type SqlEngine, type SqlServerInfo } from './db';
import {
  captureCommands,
  connectValkey,
  connectValkeyCluster,
  connectValkeyUrl,
  reapOrphans,
  startLocalCluster,
  startPrivateValkey,
  startWorker,
  valkeyServerInfo,
  type CacheServerInfo,
  type ClusterNodeProcess,
  type LocalCluster,
  type MonitorCapture,
  type PrivateValkey,
  type ValkeyClient,
  type Worker,
} from './valkey';
import type { ClusterSeed } from './config';

export interface PrivateValkeyOptions {
  /** e.g. `'2mb'`: the memory limit eviction works against. */
  maxmemory?: string;
  /** maxmemory-policy, e.g. `'allkeys-lru'`. */
  policy?: string;
  /** Any other valkey-server settings, e.g. `{ 'hz': '100' }`. */
  config?: Record<string, string>;
  /** Key prefix of `client`. Default: the lab's. */
  keyPrefix?: string;
  /** The valkey-server to run (e.g. the Valkey 9.1 set-up built). Default: the lab's (VALKEY_SERVER_BIN or PATH's). */
  binary?: string;
}

/** A throwaway Valkey only this lab uses: CONFIG SET, FLUSHALL and DEBUG are allowed on it (see adminCommand). */
export interface LabPrivateValkey extends PrivateValkey {
  /** Connected, with the lab's key prefix. */
  client: Redis;
}

/** A local Valkey Cluster the lab started, and a client connected to it with the lab's key prefix. */
export interface LabCluster {
  client: Cluster;
  nodes: ClusterNodeProcess[];
  seeds: ClusterSeed[];
  /** Seconds it took to start and join the nodes. */
  startSeconds: number;
  stop(): Promise<void>;
}

export interface Lab {
  config: LabConfig;
  /** The engine LAB_DB names, connected as the lab user. */
  sql: SqlEngine;
  /** Valkey with the lab's key prefix: one server, or the cluster VALKEY_CLUSTER_NODES names. */
  valkey: ValkeyClient;
  /** Which database server answered, and its version. */
  sqlServer: SqlServerInfo;
  /** Which cache server answered (Valkey or Redis), and its version. */
  cacheServer: CacheServerInfo;
  /** A private throwaway Valkey on a free loopback port, set up with `maxmemory`, `policy` and `config`. */
  privateValkey(options?: PrivateValkeyOptions): Promise<LabPrivateValkey>;
  /** A local cluster of 3 primaries (and `replicas` replicas each) on free loopback ports. */
  localCluster(options?: { replicas?: 0 | 1; binaries?: { server?: string; cli?: string } }): Promise<LabCluster>;
  /** Another connection to the lab's Valkey (for a second "app server", a subscriber...). */
  connection(): Promise<ValkeyClient>;
  /** Captures with MONITOR the commands `client` (default: `lab.valkey`) sends, until `stop()`. */
  monitor(client?: ValkeyClient): Promise<MonitorCapture>;
  /** A background Node process running `scriptPath` (relative to the project) with `args`. */
  startWorker(scriptPath: string, args?: readonly string[], options?: { env?: Record<string, string> }): Worker;
  /**
   * Runs `end` at close(), newest first with everything else the lab owns (also when a cell failed): for what a
   * helper starts itself, such as a service process or a server it restarts.
   */
  onClose(end: () => Promise<unknown>): void;
  /** Ends everything the lab opened or started (connections, captures, servers, clusters, workers). */
  close(): Promise<void>;
}

/** Disconnects and waits until the connection has really closed, so the server no longer lists it. */
async function endClient(client: ValkeyClient): Promise<void> {
  if (client.status === 'end') return;
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  client.disconnect();
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2_000))]);
}

/**
 * Connects to the active engine (or `engine`) and to Valkey; any failure is one LabError saying what
 * to do. `config` defaults to the environment's. Ends first what an earlier, killed notebook left behind.
 */
export async function openLab(options: { engine?: EngineKind; config?: LabConfig } = {}): Promise<Lab> {
  const config = options.config ?? loadConfig();
  reapOrphans(config.root);
  const sql = await connectSql(config, options.engine ?? config.engine);
  let valkey: ValkeyClient;
  try {
    valkey = await connectValkey(config);
  } catch (error) {
    await sql.close();
    throw error;
  }
  const [sqlServer, cacheServer] = await Promise.all([sql.serverInfo(), valkeyServerInfo(valkey)]);

  // What close() ends, newest first: captures before the connections they watch, connections before servers.
  const cleanups: Array<() => Promise<unknown>> = [];
  const track = <T>(thing: T, end: () => Promise<unknown>): T => {
    cleanups.push(end);
    return thing;
  };
  const scratch = path.join(config.root, '.lab', 'private');

  return {
    config,
    sql,
    valkey,
    sqlServer,
    cacheServer,
    async privateValkey(settings = {}) {
      mkdirSync(scratch, { recursive: true });
      const server = await startPrivateValkey({
        dir: mkdtempSync(path.join(scratch, 'valkey-')),
        removeDir: true,
        binary: settings.binary,
        config: {
          ...(settings.maxmemory ? { maxmemory: settings.maxmemory } : {}),
          ...(settings.policy ? { 'maxmemory-policy': settings.policy } : {}),
          ...settings.config,
        },
      });
      track(server, () => server.stop());
      const client = await connectValkeyUrl(server.url, { keyPrefix: settings.keyPrefix ?? config.valkey.keyPrefix });
      track(client, () => endClient(client));
      return { ...server, client };
    },
    async localCluster(settings = {}) {
      mkdirSync(scratch, { recursive: true });
      const cluster: LocalCluster = await startLocalCluster({
        dir: mkdtempSync(path.join(scratch, 'cluster-')),
        replicas: settings.replicas ?? 0,
        binaries: settings.binaries,
      });
      track(cluster, async () => {
        await cluster.stop();
        rmSync(cluster.dir, { recursive: true, force: true });
      });
      const client = await connectValkeyCluster(cluster.seeds, { keyPrefix: config.valkey.keyPrefix });
      track(client, async () => client.disconnect());
      return {
        client,
        nodes: cluster.nodes,
        seeds: cluster.seeds,
        startSeconds: cluster.startSeconds,
        stop: cluster.stop,
      };
    },
    async connection() {
      const client = await connectValkey(config);
      return track(client, () => endClient(client));
    },
    async monitor(client = valkey) {
      const capture = await captureCommands(client);
      return track(capture, () => capture.stop());
    },
    startWorker(scriptPath, args = [], workerOptions = {}) {
      const worker = startWorker(scriptPath, args, { ...workerOptions, root: config.root });
      return track(worker, () => worker.kill('SIGTERM'));
    },
    onClose(end) {
      track(undefined, end);
    },
    async close() {
      // Every cleanup runs even when one fails: a capture whose client the notebook already closed
      // cannot send its end marker, yet its own connection still closes, and so on down the list.
      for (const end of cleanups.splice(0).reverse()) await end().catch(() => undefined);
      await endClient(valkey);
      await sql.close();
    },
  };
}
