// The Valkey client factory: iovalkey with the lab's timeouts, retry policy and key prefix, for one server or a cluster.

import Redis, { Cluster, type RedisOptions } from 'iovalkey';
import { maskUrl, validateValkeyUrl, type ClusterSeed, type LabConfig } from '../config';
import { LabError, errorCode, errorMessage } from '../errors';
import { cacheServerInfo, parseInfo, sumInfo, type CacheServerInfo, type Info } from './info';

export type { Redis as Valkey, Cluster as ValkeyCluster };

/** Either iovalkey client: one server (`Redis`) or a cluster (`Cluster`). They share the command layer. */
export type ValkeyClient = Redis | Cluster;

/** True when the client talks to a Valkey Cluster. */
export function isCluster(client: ValkeyClient): client is Cluster {
  return client instanceof Cluster;
}

/** The servers that hold data: the one server, or every primary of a cluster (each a connected client). */
export function primaries(client: ValkeyClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}

/** `host:port` of one server's client. */
export function nodeAddress(node: Redis): string {
  return `${node.options.host ?? '127.0.0.1'}:${node.options.port ?? 6379}`;
}

export interface ValkeyClientOptions {
  /** Prepended to every key a command names (iovalkey `keyPrefix`). Default: the config's LAB_KEY_PREFIX. */
  keyPrefix?: string;
  /** Give up connecting after this long. Default 2 s. */
  connectTimeoutMs?: number;
  /** A command that gets no answer in this long fails (so a cache never hangs a request). Default 2 s. */
  commandTimeoutMs?: number;
  /** Extra iovalkey options (e.g. `{ monitor: true }`), applied last. */
  extra?: RedisOptions;
}

/**
 * The retry policy: a command is tried once and fails fast while the server is away (so a
 * cache-aside read falls back to the database at once), while the connection keeps
 * reconnecting in the background, backing off to at most one attempt per second.
 */
export function labRedisOptions(options: ValkeyClientOptions = {}): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    keyPrefix: options.keyPrefix,
    connectionName: 'valkey-lab',
    ...options.extra,
  };
}

/** `host:port` of a Valkey URL, for messages. */
export function valkeyWhere(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

/** Connects to a Valkey URL and waits until it is ready; failures become one clear LabError. */
export async function connectValkeyUrl(url: string, options: ValkeyClientOptions = {}): Promise<Redis> {
  validateValkeyUrl(url);
  // iovalkey understands redis:// and rediss://; valkey:// and valkeys:// mean the same.
  const redisUrl = url.replace(/^valkey(s?):/, 'redis$1:');
  const client = new Redis(redisUrl, labRedisOptions(options));
  let lastError: unknown;
  client.on('error', (error) => {
    lastError = error; // kept for the message below; later errors surface on the commands that fail
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw valkeyConnectError(url, lastError ?? error);
  }
  return client;
}

/**
 * Connects to a Valkey Cluster through its seed nodes and waits until the slot map is known. Same
 * fail-fast policy as one server: a command fails at once while a node is away, the cluster reconnects
 * in the background.
 */
export async function connectValkeyCluster(
  seeds: readonly ClusterSeed[],
  options: ValkeyClientOptions = {},
): Promise<Cluster> {
  const where = seeds.map((s) => `${s.host}:${s.port}`).join(',');
  const { retryStrategy: _retry, enableOfflineQueue: _queue, ...redisOptions } = labRedisOptions(options);
  const cluster = new Cluster(
    seeds.map((s) => ({ host: s.host, port: s.port })),
    {
      lazyConnect: true,
      keyPrefix: options.keyPrefix,
      enableOfflineQueue: false,
      enableReadyCheck: true,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
      slotsRefreshTimeout: options.connectTimeoutMs ?? 2_000,
      redisOptions: { ...redisOptions, lazyConnect: false },
    },
  );
  let lastError: unknown;
  cluster.on('error', (error) => {
    lastError = error;
  });
  try {
    await withTimeout(cluster.connect(), (options.connectTimeoutMs ?? 2_000) + 1_000);
  } catch (error) {
    cluster.disconnect();
    throw new LabError({
      what: `Cannot reach the Valkey Cluster (${errorCode(lastError ?? error) ?? errorMessage(lastError ?? error)})`,
      where,
      fix: 'Start it with `npm run cluster -- start`, or fix VALKEY_CLUSTER_NODES.',
      cause: lastError ?? error,
    });
  }
  return cluster;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects to the lab's Valkey with the lab's key prefix: the cluster VALKEY_CLUSTER_NODES names, else
 * VALKEY_URL or the one set-up manages.
 */
export async function connectValkey(config: LabConfig, options: ValkeyClientOptions = {}): Promise<ValkeyClient> {
  if (config.valkey.clusterNodes) {
    return connectValkeyCluster(config.valkey.clusterNodes, { keyPrefix: config.valkey.keyPrefix, ...options });
  }
  return connectValkeyServer(config, options);
}

/** Like `connectValkey`, for callers that need one server (never a cluster), e.g. set-up. */
export async function connectValkeyServer(config: LabConfig, options: ValkeyClientOptions = {}): Promise<Redis> {
  const url = config.valkey.url;
  if (!url) {
    throw new LabError({
      what: 'No Valkey is configured',
      fix: 'Run `npm run setup` (it starts a Valkey for the lab), or set VALKEY_URL to a running server.',
    });
  }
  return connectValkeyUrl(url, { keyPrefix: config.valkey.keyPrefix, ...options });
}

function valkeyConnectError(url: string, error: unknown): LabError {
  const code = errorCode(error) ?? errorMessage(error);
  const where = valkeyWhere(url);
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(`${code} ${errorMessage(error)}`)) {
    return new LabError({
      what: `Valkey refused the credentials in ${maskUrl(url)} (${code})`,
      where,
      fix: 'Fix the user/password in VALKEY_URL.',
      cause: error,
    });
  }
  return new LabError({
    what: `Cannot reach Valkey (${code})`,
    where,
    fix: "Run `npm run setup` to start the lab's Valkey, or point VALKEY_URL at a running server.",
    cause: error,
  });
}

async function readNodeInfo(node: Redis, section?: string): Promise<Info> {
  return parseInfo(section ? await node.info(section) : await node.info());
}

export interface NodeInfo {
  /** `host:port` of the node. */
  node: string;
  role: 'primary' | 'replica';
  info: Info;
}

/** INFO of every node (one entry for one server; every primary and replica of a cluster). */
export async function readInfoByNode(client: ValkeyClient, section?: string): Promise<NodeInfo[]> {
  if (!isCluster(client))
    return [{ node: nodeAddress(client), role: 'primary', info: await readNodeInfo(client, section) }];
  const replicas = new Set(client.nodes('slave'));
  return Promise.all(
    client.nodes('all').map(async (node) => ({
      node: nodeAddress(node),
      role: replicas.has(node) ? ('replica' as const) : ('primary' as const),
      info: await readNodeInfo(node, section),
    })),
  );
}

/**
 * INFO (all sections, or one), parsed. On a cluster, the primaries' INFO summed where a sum means
 * something (hits, misses, memory, evictions, clients, ops/s, keys: see `sumInfo`); per node: `readInfoByNode`.
 */
export async function readInfo(client: ValkeyClient, section?: string): Promise<Info> {
  if (!isCluster(client)) return readNodeInfo(client, section);
  const nodes = await readInfoByNode(client, section);
  return sumInfo(nodes.filter((n) => n.role === 'primary').map((n) => n.info));
}

/** Which server answered (Valkey or Redis), its version and mode; on a cluster, the first primary's, `where` listing all primaries. */
export async function valkeyServerInfo(client: ValkeyClient): Promise<CacheServerInfo> {
  const nodes = primaries(client);
  const first = nodes[0];
  if (!first) throw new LabError({ what: 'The Valkey Cluster has no primary the client knows of' });
  return cacheServerInfo(await readNodeInfo(first, 'server'), nodes.map(nodeAddress).join(','));
}
