// The guide's troubleshooting checks as functions: each says what it looked at, whether it is fine, and what to do.

import { performance } from 'node:perf_hooks';
import type { ValkeyClient } from '../valkey/client';
import type { SqlEngine } from '../db/engine';
import { listIndexes } from '../db/indexes';
import { errorMessage } from '../errors';
import { percentile } from '../measure/summary';
import { runGuideQuery } from '../queries';
import { activeSessions } from '../queries/troubleshooting';
import { hitRate, parseInfo } from '../valkey/info';
import { readSlowlog } from './monitoring';

/** The outcome of one check, ready for a table. */
export interface Finding {
  check: string;
  ok: boolean;
  /** What was found, with the figures. */
  finding: string;
  /** What to do when it is not ok (also shown when it is, as the thing to try if it ever fails). */
  fix: string;
}

/**
 * Database connectivity (the guide's `mysqladmin ping` / `pg_isready`): `SELECT 1` five times. The first may open a
 * connection of the pool (handshake, authentication); the median of the others is the round trip itself.
 */
export async function checkDatabase(engine: SqlEngine): Promise<Finding> {
  const check = `database answers (${engine.kind} at ${engine.where})`;
  const fix = 'Start the database server, check MYSQL_URL / PG_URL in .env, then run `npm run setup`.';
  try {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await engine.query('SELECT 1 AS ok')).elapsedMs);
    const median = percentile(times.slice(1), 50);
    return {
      check,
      ok: true,
      finding: `SELECT 1 answered: the first in ${times[0]!.toFixed(2)} ms, then a median of ${median.toFixed(2)} ms`,
      fix,
    };
  } catch (error) {
    return { check, ok: false, finding: errorMessage(error), fix };
  }
}

/** Valkey connectivity and identity (the guide's `valkey-cli ping` and `INFO server`). */
export async function checkValkey(client: ValkeyClient): Promise<Finding> {
  const check = 'Valkey answers PING';
  const fix = 'Start Valkey (`npm run setup` starts the lab one), or set VALKEY_URL to a running server.';
  try {
    const started = performance.now();
    const pong = await client.ping();
    const ms = performance.now() - started;
    const server = parseInfo(await client.info('server')).server;
    const version = server.valkey_version ?? server.redis_version;
    return {
      check,
      ok: pong === 'PONG',
      finding: `${pong} in ${ms.toFixed(2)} ms from ${server.server_name ?? 'redis'} ${version}, up ${server.uptime_in_seconds} s`,
      fix,
    };
  } catch (error) {
    return { check, ok: false, finding: errorMessage(error), fix };
  }
}

/** The guide's `SHOW INDEX FROM ...`: does `table` have an index starting with each of `columns`? */
export async function checkIndexes(engine: SqlEngine, table: string, columns: readonly string[]): Promise<Finding> {
  const indexes = await listIndexes(engine, table);
  const missing = columns.filter((column) => !indexes.some((index) => index.columns[0] === column));
  return {
    check: `${table} has an index leading with ${columns.join(', ')}`,
    ok: missing.length === 0,
    finding:
      `${indexes.length} index(es): ${indexes.map((i) => `${i.name}(${i.columns.join(', ')})`).join('; ') || 'none'}` +
      (missing.length > 0 ? ` · no index on ${missing.join(', ')}` : ''),
    fix: `Queries filtering on ${missing.join(', ') || columns.join(', ')} scan the whole table without one: create it (notebook 01 shows how) and EXPLAIN again.`,
  };
}

/** The guide's `SHOW PROCESSLIST`: statements running longer than `seconds` on the lab's database. */
export async function checkLongQueries(engine: SqlEngine, seconds = 5): Promise<Finding> {
  const { rows } = await runGuideQuery(engine, activeSessions);
  const busy = rows.filter((row) => {
    const state = String(row.command ?? '').toLowerCase();
    const idle = state === 'sleep' || state === 'idle' || state === '';
    return (
      !idle &&
      Number(row.seconds) > seconds &&
      !String(row.query ?? '').includes('PROCESSLIST') &&
      !String(row.query ?? '').includes('pg_stat_activity')
    );
  });
  return {
    check: `no statement has run longer than ${seconds} s`,
    ok: busy.length === 0,
    finding: `${rows.length} session(s) on the lab database; ${busy.length} busy for more than ${seconds} s`,
    fix: 'Profile the long statement (EXPLAIN ANALYZE), add the index it lacks, or cache its answer; end a runaway one with KILL / pg_cancel_backend.',
  };
}

/** The guide's `INFO memory`: how close to maxmemory, how fragmented, and whether keys were evicted. */
export async function checkValkeyMemory(client: ValkeyClient, threshold = 0.8): Promise<Finding> {
  const info = parseInfo(await client.info());
  const used = Number(info.memory.used_memory ?? 0);
  const max = Number(info.memory.maxmemory ?? 0);
  const evicted = Number(info.stats.evicted_keys ?? 0);
  const fragmentation = Number(info.memory.mem_fragmentation_ratio ?? 0);
  const ratio = max > 0 ? used / max : 0;
  return {
    check: `memory below ${Math.round(threshold * 100)}% of maxmemory, nothing evicted`,
    ok: ratio <= threshold && evicted === 0,
    finding:
      `used_memory ${info.memory.used_memory_human} · maxmemory ${max > 0 ? `${(max / 1048576).toFixed(1)} MB (${(ratio * 100).toFixed(1)}% used)` : '0 (no limit)'}` +
      ` · policy ${info.memory.maxmemory_policy} · evicted_keys ${evicted} · fragmentation ${fragmentation}`,
    fix: 'Shorten TTLs, store leaner values (compact HASHes, a codec), raise maxmemory, or pick an eviction policy (notebook 06).',
  };
}

/** The guide's `SLOWLOG GET 10`: commands slower than `micros` among the most recent slow ones. */
export async function checkSlowCommands(client: ValkeyClient, micros = 10_000): Promise<Finding> {
  const entries = await readSlowlog(client, 10);
  const slow = entries.filter((e) => e.durationMicros >= micros);
  return {
    check: `no recent command took ${micros / 1000} ms or more on the server`,
    ok: slow.length === 0,
    finding:
      `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} in SLOWLOG` +
      (slow.length > 0
        ? `; slowest: ${slow
            .map((e) => `${e.command[0]} ${(e.durationMicros / 1000).toFixed(1)} ms`)
            .slice(0, 3)
            .join(', ')}`
        : ''),
    fix: 'Replace the slow command (KEYS → SCAN, big SORT/SMEMBERS → paged reads, long scripts → smaller steps); every other client waits while it runs.',
  };
}

/** Hit ratio from INFO stats: is the cache answering most reads? */
export async function checkHitRatio(client: ValkeyClient, minimum = 0.8): Promise<Finding> {
  const stats = parseInfo(await client.info('stats')).stats;
  const ratio = hitRate(stats);
  return {
    check: `hit ratio at least ${Math.round(minimum * 100)}%`,
    ok: ratio === undefined || ratio >= minimum,
    finding:
      ratio === undefined
        ? 'no lookups yet'
        : `${(ratio * 100).toFixed(1)}% (${stats.keyspace_hits} hits, ${stats.keyspace_misses} misses since the server started)`,
    fix: 'Check key names (a typo never hits), TTLs (too short), and evictions; warm the cache for the popular keys.',
  };
}
