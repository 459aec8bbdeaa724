import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { createWriteThrough, VERSION_FIELD } from '../../src/patterns';
import {
  dropPart4Tables,
  ensurePart4Tables,
  loadAirportRecord,
  renameAirport,
} from '../../src/queries/records-and-writes';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

const IATA = 'MUC';

describe.each(ENGINE_KINDS)('write-through on %s', (kind: EngineKind) => {
  let server: PrivateValkey;
  let valkey: Redis;
  let sql: SqlEngine;
  let originalName: string;
  const key = `${kind}:airport:{${IATA}}`;
  const load = () => loadAirportRecord(sql, IATA);
  const dbName = async (): Promise<string> => (await load())!.value.name ?? '';

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-write-through-')), removeDir: true });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    sql = await connectSql(testConfig(), kind);
    await ensureTinyDataset(sql);
    await ensurePart4Tables(sql);
    originalName = await dbName();
  });
  afterAll(async () => {
    if (sql && originalName) await renameAirport(sql, IATA, originalName);
    if (sql) await dropPart4Tables(sql); // the dataset tests expect the dataset's tables alone
    await sql?.close();
    valkey?.disconnect();
    await server?.stop();
  });

  it('commits the database first, then the cache holds the committed record and its version', async () => {
    await clearLabKeys(valkey);
    const cache = createWriteThrough(valkey, { ttlSeconds: 300 });
    const write = await cache.write(key, () => renameAirport(sql, IATA, 'Munich Write-Through Test'), load);
    expect(write.outcome).toBe('cached');
    expect(await dbName()).toBe('Munich Write-Through Test');
    const entry = await valkey.hgetall(key);
    expect(entry.name).toBe('Munich Write-Through Test');
    expect(Number(entry[VERSION_FIELD])).toBe((await load())!.version);
    expect(await valkey.ttl(key)).toBeGreaterThan(290);
    const read = await cache.read(key, load);
    expect(read.outcome).toBe('hit');
    expect(read.value?.name).toBe('Munich Write-Through Test');
    await cache.write(key, () => renameAirport(sql, IATA, originalName), load);
    expect((await valkey.hgetall(key)).name).toBe(originalName);
  });

  it('leaves the cache untouched when the database refuses the write', async () => {
    await clearLabKeys(valkey);
    const cache = createWriteThrough(valkey, { ttlSeconds: 300 });
    await cache.read(key, load);
    const before = await valkey.hgetall(key);
    const tooLong = 'M'.repeat(300); // longer than airport.name allows: both engines refuse it
    const write = await cache.write(key, () => renameAirport(sql, IATA, tooLong), load);
    expect(write.outcome).toBe('db-failed');
    expect(write.problem).toBeTruthy();
    expect(await valkey.hgetall(key)).toEqual(before);
    expect(await dbName()).toBe(originalName);
  });

  it('repairs a failed cache update on the next read when the entry could be deleted', async () => {
    await clearLabKeys(valkey);
    const cache = createWriteThrough(valkey, { ttlSeconds: 300 });
    await valkey.set(key, 'not a hash'); // the HASH update fails on this (WRONGTYPE)
    const write = await cache.write(key, () => renameAirport(sql, IATA, 'Munich Repair Test'), load);
    expect(write.outcome).toBe('cache-failed');
    expect(write.repair).toBe('entry deleted');
    const read = await cache.read(key, load);
    expect(read.outcome).toBe('miss');
    expect(read.value?.name).toBe('Munich Repair Test');
    expect((await valkey.hgetall(key)).name).toBe('Munich Repair Test');
    await cache.write(key, () => renameAirport(sql, IATA, originalName), load);
  });

  it('repairs a failed cache update on the next read when Valkey could not be reached at all', async () => {
    await clearLabKeys(valkey);
    const client = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    client.on('error', () => undefined);
    try {
      const cache = createWriteThrough(client, { ttlSeconds: 300 });
      await cache.read(key, load); // the old record is cached
      const clientId = Number(await client.client('ID'));
      const write = await cache.write(
        key,
        async () => {
          await renameAirport(sql, IATA, 'Munich Unreachable Test');
          await valkey.client('KILL', 'ID', String(clientId)); // the cache connection dies right after the commit
        },
        load,
      );
      expect(write.outcome).toBe('cache-failed');
      expect(write.repair).toBe('marked for repair');
      expect((await valkey.hgetall(key)).name).toBe(originalName); // the stale entry is still there
      await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', resolve)));
      const read = await cache.read(key, load);
      expect(read.outcome).toBe('repaired');
      expect(read.value?.name).toBe('Munich Unreachable Test');
      expect((await valkey.hgetall(key)).name).toBe('Munich Unreachable Test');
      expect(cache.pendingRepairs.size).toBe(0);
      await cache.write(key, () => renameAirport(sql, IATA, originalName), load);
    } finally {
      client.disconnect();
    }
  });

  it('two concurrent writers cannot leave the older record cached once both finish', async () => {
    await clearLabKeys(valkey);
    const cache = createWriteThrough(valkey, { ttlSeconds: 300 });
    let bDone!: () => void;
    const bFinished = new Promise<void>((resolve) => (bDone = resolve));
    let bMayStart!: () => void;
    const aCommitted = new Promise<void>((resolve) => (bMayStart = resolve));
    // A commits first and reads its record, but its cache update arrives only after B's has.
    const a = cache.write(
      key,
      async () => {
        await renameAirport(sql, IATA, 'Munich Writer A');
        bMayStart();
      },
      async () => {
        const record = await load();
        await bFinished;
        return record;
      },
    );
    await aCommitted;
    const b = await cache.write(key, () => renameAirport(sql, IATA, 'Munich Writer B'), load);
    bDone();
    const aResult = await a;
    expect(b.outcome).toBe('cached');
    expect(aResult.outcome).toBe('kept-newer');
    expect(await dbName()).toBe('Munich Writer B');
    expect((await valkey.hgetall(key)).name).toBe('Munich Writer B');

    // And with many writers racing at once, the cache ends equal to the database.
    const names = Array.from({ length: 8 }, (_, i) => `Munich Racer ${i}`);
    await Promise.all(
      names.map((name, i) =>
        cache.write(
          key,
          () => renameAirport(sql, IATA, name),
          async () => {
            const record = await load();
            await new Promise((resolve) => setTimeout(resolve, (i * 7) % 20));
            return record;
          },
        ),
      ),
    );
    const final = await load();
    const entry = await valkey.hgetall(key);
    expect(entry.name).toBe(final!.value.name);
    expect(Number(entry[VERSION_FIELD])).toBe(final!.version);
    await cache.write(key, () => renameAirport(sql, IATA, originalName), load);
    expect(await dbName()).toBe(originalName);
  });
});
