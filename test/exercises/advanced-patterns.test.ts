// Notebook 04's graders, on a private Valkey and both engines: the shipped stub is not done, the reference
// solution passes, and plausible wrong answers fail at the right check with the right hint. The write-behind
// grader really starts and SIGKILLs worker processes, so each of its grades takes a few seconds.

import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { gradeWriteBehindHandler, gradeWriteThrough, type WriteThroughFn } from '../../src/exercises/advanced-patterns';
import type { HandleEntry } from '../../src/exercises/write-behind-handler';
import { listLabKeys } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';
import { testConfig } from '../support/lab';
import { usePrivateValkey } from '../support/valkey';

describe.each(ENGINE_KINDS)('notebook 04 graders on %s', (kind) => {
  let sql: SqlEngine;
  let valkey: Redis;
  const config = testConfig();
  const lab = () => ({ sql, valkey, config });
  const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, lab());
  /** Munich's name, read straight from the table (the grader's own tables may be gone). */
  const munich = async () =>
    (await sql.query<{ name: string }>(`SELECT name FROM airport WHERE iata = ${sql.dialect.param(1)}`, ['MUC']))
      .rows[0]!.name;

  usePrivateValkey(`exercises-04-${kind}`, (client) => (valkey = client));
  beforeAll(async () => {
    sql = await connectSql(config, kind);
    await ensureTinyDataset(sql);
  });
  afterAll(async () => {
    await sql?.close();
  });

  describe('Your turn 4.1, write-through', () => {
    const grade = (f: WriteThroughFn) => gradeWriteThrough(lab(), f);
    /** Stores the record as a plain HASH: right order, no version check. */
    const storePlain = async (key: string, ttl: number, record: { value: Record<string, string>; version: number }) => {
      await valkey
        .multi()
        .del(key)
        .hset(key, { ...record.value, _version: String(record.version) })
        .expire(key, ttl)
        .exec();
    };

    it('says the shipped stub is not done, and leaves the airport and the cache as they were', async () => {
      const name = await munich();
      const result = await grade(fromCell(shippedStub('04', 'write-through'), 'writeThrough'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
      expect(await munich()).toBe(name);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('passes the reference solution, names the airport back, and leaves Part 4 tables as it found them', async () => {
      const tablesBefore = (await sql.listTables()).includes('airport_write_version');
      const name = await munich();
      const result = await grade(fromCell(referenceSolution('04', 'write-through'), 'writeThrough'));
      expect(result.failure).toBeUndefined();
      expect(result.status).toBe('passed');
      expect(await munich()).toBe(name);
      expect(await listLabKeys(valkey)).toEqual([]);
      expect((await sql.listTables()).includes('airport_write_version')).toBe(tablesBefore);
    });

    it('fails a write-through without versions when writers race: the older record stays', async () => {
      const result = await grade(async (key, ttl, write, load) => {
        await write();
        await storePlain(key, ttl, await load());
      });
      expect(result.passed).toContain('a rename the database refuses leaves the cache as it was');
      expect(result.failure?.check).toMatch(/^racing writers/);
      expect(result.failure?.seen).toContain('(writer A)');
      expect(result.failure?.hint).toMatch(/one step on the server/);
    });

    it('fails a write-through that reads the record before the write: the cache holds the old name', async () => {
      const result = await grade(async (key, ttl, write, load) => {
        const record = await load();
        await write();
        await storePlain(key, ttl, record);
      });
      expect(result.failure?.check).toBe('the cache holds the committed record, with its _version');
    });

    it('fails a write-through that stores without a TTL', async () => {
      const result = await grade(async (key, _ttl, write, load) => {
        await write();
        const record = await load();
        await valkey.hset(key, { ...record.value, _version: String(record.version) });
      });
      expect(result.failure).toMatchObject({
        check: expect.stringMatching(/expires within the TTL/),
        seen: 'no expiry (TTL -1)',
      });
      expect(await listLabKeys(valkey)).toEqual([]);
    });
  });

  describe('Your turn 4.2, the write-behind step', { timeout: 180_000 }, () => {
    const grade = (f: HandleEntry) => gradeWriteBehindHandler(lab(), f);

    it('says the shipped stub is not done, before starting any worker', async () => {
      const result = await grade(fromCell(shippedStub('04', 'write-behind-handler'), 'handleEntry'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution through two SIGKILLs, and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('04', 'write-behind-handler'), 'handleEntry'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toContain('nothing applied twice: 20 rows for 20 writes');
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a step that acknowledges first: the entry killed before its commit is gone', async () => {
      const result = await grade(async (entry, db, stream) => {
        await stream.ack(entry.id);
        await db.transaction(async (tx) => {
          if (await tx.alreadyApplied(entry.id)) return;
          await tx.insertRow(entry);
          await tx.markApplied(entry.id);
        });
      });
      expect(result.failure?.check).toMatch(/^SIGKILL before entry 5's commit: the entry stays pending/);
      expect(result.failure?.hint).toMatch(/only after db\.transaction/);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a step that records nothing: the entry redelivered after its commit is applied twice', async () => {
      const result = await grade(async (entry, db, stream) => {
        await db.transaction(async (tx) => tx.insertRow(entry));
        await stream.ack(entry.id);
      });
      expect(result.passed).toContain('nothing lost: all 20 writes are in the database');
      expect(result.failure?.check).toBe('nothing applied twice: 20 rows for 20 writes');
      expect(result.failure?.seen).toMatch(/^2\d rows/);
    });

    it('fails a step that records the id but never asks: the redelivery breaks on the unique key', async () => {
      const result = await grade(async (entry, db, stream) => {
        await db.transaction(async (tx) => {
          await tx.insertRow(entry);
          await tx.markApplied(entry.id);
        });
        await stream.ack(entry.id);
      });
      expect(result.failure?.check).toBe('a third worker takes back what the killed ones left, and drains the stream');
      expect(result.failure?.hint).toMatch(/tx\.alreadyApplied/);
    });
  });
});
