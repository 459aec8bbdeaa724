// INFO parsed into typed sections, and what the lab reads from it (flavor, version, hit rate).

export type InfoValue = string | number;
export type InfoSection = Record<string, InfoValue>;

/** The fields of INFO the lab reads; every section also keeps all its other fields. */
export interface Info {
  server: InfoSection & {
    redis_version?: string;
    valkey_version?: string;
    server_name?: string;
    redis_mode?: string;
    server_mode?: string;
    tcp_port?: number;
    uptime_in_seconds?: number;
  };
  stats: InfoSection & {
    keyspace_hits?: number;
    keyspace_misses?: number;
    evicted_keys?: number;
    expired_keys?: number;
    instantaneous_ops_per_sec?: number;
    total_commands_processed?: number;
  };
  memory: InfoSection & {
    used_memory?: number;
    used_memory_human?: string;
    maxmemory?: number;
    maxmemory_policy?: string;
    mem_fragmentation_ratio?: number;
  };
  /** `db0: keys=3,expires=1,avg_ttl=0` becomes `{ db0: { keys: 3, expires: 1, avg_ttl: 0 } }`. */
  keyspace: Record<string, Record<string, number>>;
  [section: string]: InfoSection | Record<string, Record<string, number>>;
}

/**
 * Parses the text of INFO (any sections). Section names are lower-cased (`# Server` → `server`);
 * values that are plain numbers become numbers, everything else stays text.
 */
export function parseInfo(text: string): Info {
  const info: Record<string, Record<string, unknown>> = { server: {}, stats: {}, memory: {}, keyspace: {} };
  let section = 'default';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      section = line.slice(1).trim().toLowerCase();
      info[section] ??= {};
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    const target = (info[section] ??= {});
    target[key] = section === 'keyspace' ? parseKeyspace(value) : toValue(value);
  }
  return info as unknown as Info;
}

function parseKeyspace(value: string): Record<string, number> {
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const [k, v] = pair.split('=');
      return [k ?? '', Number(v)];
    }),
  );
}

function toValue(value: string): InfoValue {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

export interface CacheServerInfo {
  flavor: 'valkey' | 'redis';
  version: string;
  /** e.g. `Valkey 8.0.1` or `Redis 7.0.15`. */
  label: string;
  mode: string;
  /** `host:port`. */
  where: string;
}

/** Valkey says `server_name:valkey` and `valkey_version:`; Redis says neither. */
export function cacheServerInfo(info: Info, where: string): CacheServerInfo {
  const server = info.server;
  const isValkey = server.server_name === 'valkey' || server.valkey_version !== undefined;
  const version = String(isValkey ? (server.valkey_version ?? server.redis_version) : server.redis_version);
  return {
    flavor: isValkey ? 'valkey' : 'redis',
    version,
    label: `${isValkey ? 'Valkey' : 'Redis'} ${version}`,
    // Valkey 8 names it server_mode; Redis, redis_mode.
    mode: String(server.server_mode ?? server.redis_mode ?? 'standalone'),
    where,
  };
}

/** hits / (hits + misses) from INFO stats; undefined before the first lookup. */
export function hitRate(stats: Info['stats']): number | undefined {
  const hits = Number(stats.keyspace_hits ?? 0);
  const misses = Number(stats.keyspace_misses ?? 0);
  return hits + misses === 0 ? undefined : hits / (hits + misses);
}

/** Counters that add up across a cluster's primaries (each primary serves its own slots). */
export const SUMMED_INFO_FIELDS = [
  'keyspace_hits',
  'keyspace_misses',
  'evicted_keys',
  'expired_keys',
  'instantaneous_ops_per_sec',
  'total_commands_processed',
  'total_connections_received',
  'used_memory',
  'connected_clients',
] as const;

/**
 * One view of several nodes' INFO: the counters in SUMMED_INFO_FIELDS and the keyspace counts are
 * summed; every other field is the first node's (version, mode, policy: the same on every node).
 */
export function sumInfo(infos: readonly Info[]): Info {
  const [first, ...rest] = infos;
  if (!first) return parseInfo('');
  const summed = structuredClone(first) as unknown as Record<string, Record<string, unknown>>;
  const fields = new Set<string>(SUMMED_INFO_FIELDS);
  for (const info of rest) {
    for (const [sectionName, section] of Object.entries(info)) {
      if (sectionName === 'keyspace') continue;
      for (const [field, value] of Object.entries(section)) {
        const target = (summed[sectionName] ??= {});
        if (fields.has(field) && typeof value === 'number') target[field] = Number(target[field] ?? 0) + value;
      }
    }
    for (const [db, counts] of Object.entries(info.keyspace)) {
      const target = ((summed.keyspace as Record<string, Record<string, number>>)[db] ??= {
        keys: 0,
        expires: 0,
        avg_ttl: 0,
      });
      target.keys = (target.keys ?? 0) + (counts.keys ?? 0);
      target.expires = (target.expires ?? 0) + (counts.expires ?? 0);
    }
  }
  return summed as unknown as Info;
}
