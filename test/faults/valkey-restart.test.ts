// Valkey killed (SIGKILL) and restarted on its port in the middle of a cache-aside workload over the real database.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSql, type SqlEngine } from '../../src/db';
import { createCacheAside, type CacheOutcome } from '../../src/patterns';
import { connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { testConfig } from '../support/lab';

const KEYS = 20;

describe('Valkey dies and comes back during a cache-aside workload', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-faults-restart-'));
  let server: PrivateValkey;
  let valkey: Redis;
  let sql: SqlEngine;
  let loads = 0;
  let failed = 0;

  beforeAll(async () => {
    server = await startPrivateValkey({ dir });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'faults:', commandTimeoutMs: 500 });
    sql = await connectSql(testConfig(), 'mysql');
  });
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
    await sql?.close();
  });

  /** `count` reads round-robin over the keys; every answer is checked against the database's. */
  async function workload(count: number): Promise<CacheOutcome[]> {
    const cacheAside = createCacheAside(valkey);
    const outcomes: CacheOutcome[] = [];
    for (let i = 0; i < count; i += 1) {
      const id = i % KEYS;
      try {
        const read = await cacheAside(`restart:${id}`, 300, async () => {
          loads += 1;
          const { rows } = await sql.query<{ id: number }>('SELECT ? + 0 AS id', [id]);
          return rows;
        });
        if (Number(read.value[0]?.id) !== id) failed += 1;
        outcomes.push(read.outcome);
      } catch {
        failed += 1;
      }
    }
    return outcomes;
  }
  const hitRate = (outcomes: CacheOutcome[]) => outcomes.filter((o) => o === 'hit').length / outcomes.length;

  it('answers every read, falls back to the database while down, reconnects and recovers its hit rate', async () => {
    const warm = await workload(200);
    expect(hitRate(warm.slice(KEYS))).toBe(1);

    process.kill(server.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    loads = 0;
    const down = await workload(100);
    expect(down.every((o) => o === 'cache-error')).toBe(true);
    expect(loads).toBe(100); // the database answered each one

    server = await startPrivateValkey({ dir, port: server.port });
    for (let waited = 0; valkey.status !== 'ready' && waited < 15_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(valkey.status).toBe('ready');

    loads = 0;
    const back = await workload(200);
    expect(back.slice(0, KEYS).every((o) => o === 'miss')).toBe(true); // the restarted server came back empty
    expect(hitRate(back.slice(KEYS))).toBe(1);
    expect(loads).toBe(KEYS);
    expect(failed).toBe(0);
    expect(await valkey.dbsize()).toBe(KEYS);
  });
});
