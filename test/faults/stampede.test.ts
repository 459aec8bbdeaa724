// Fault suite: a hot key expiring again and again under a hundred concurrent misses, each rebuilt by a real
// database query; with the lock at most one query per expiry, with no protection the count it really is.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSql, type SqlEngine } from '../../src/db';
import { createLockedRead, createUnprotectedRead, type StampedeStrategy } from '../../src/patterns';
import { connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

const CONCURRENCY = 100;
const EXPIRIES = 4;
const TTL_MS = 300;
const KEY = 'hot:airports';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('stampede over several expiries, rebuilt from the database', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  let sql: SqlEngine;
  let dbCalls = 0;
  const load = async () => {
    dbCalls += 1;
    const { rows } = await sql.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM airport');
    return { airports: Number(rows[0]!.n) };
  };

  beforeAll(async () => {
    sql = await connectSql(testConfig(), 'postgres');
    await ensureTinyDataset(sql);
    server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-stampede-faults-')),
      removeDir: true,
    });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
  }, 120_000);
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
    await sql?.close();
  });

  /** Waits for the key to expire, then sends the burst; returns the database calls each expiry caused. */
  async function callsPerExpiry(strategy: StampedeStrategy): Promise<number[]> {
    await valkey.del(KEY);
    const perExpiry: number[] = [];
    for (let n = 0; n < EXPIRIES; n++) {
      const deadline = Date.now() + 10_000;
      // Until the key is gone: PTTL can read 0 in its last millisecond while the key still exists.
      while ((await valkey.exists(KEY)) === 1) {
        if (Date.now() > deadline) throw new Error('the hot key never expired');
        await sleep(20);
      }
      const before = dbCalls;
      const reads = await Promise.all(Array.from({ length: CONCURRENCY }, () => strategy.read(KEY, load)));
      perExpiry.push(dbCalls - before);
      expect(reads.every((read) => (read.value as { airports: number }).airports > 0)).toBe(true);
    }
    return perExpiry;
  }

  it(`with the lock: at most one database call per expiry across ${EXPIRIES} expiries of ${CONCURRENCY} misses`, async () => {
    const perExpiry = await callsPerExpiry(createLockedRead(valkey, { ttlMs: TTL_MS, lockTtlMs: 2_000 }));
    console.log(`[faults] stampede with the lock: database calls per expiry ${perExpiry.join(', ')}`);
    // The key was gone each time, so someone had to ask the database: exactly one did.
    expect(perExpiry).toEqual(Array(EXPIRIES).fill(1));
  }, 60_000);

  it(`with no protection: the real count of database calls per expiry of ${CONCURRENCY} misses`, async () => {
    const perExpiry = await callsPerExpiry(createUnprotectedRead(valkey, { ttlMs: TTL_MS }));
    console.log(`[faults] stampede with no protection: database calls per expiry ${perExpiry.join(', ')}`);
    for (const calls of perExpiry) {
      expect(calls).toBeGreaterThan(1);
      expect(calls).toBeLessThanOrEqual(CONCURRENCY);
    }
  }, 60_000);
});
