// Notebook 02's graders, on a private Valkey and both engines: the shipped stub is not done, the reference
// solution passes, and plausible wrong answers fail at the right check with the right hint.

import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import {
  gradeReadThrough,
  gradeSafeReadThrough,
  type ReadThrough,
  type SafeReadThrough,
} from '../../src/exercises/cache-aside';
import { listLabKeys } from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';
import { testConfig } from '../support/lab';
import { usePrivateValkey } from '../support/valkey';

describe.each(ENGINE_KINDS)('notebook 02 graders on %s', (kind) => {
  let sql: SqlEngine;
  let valkey: Redis;
  const lab = () => ({ sql, valkey });
  const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, lab());

  usePrivateValkey(`exercises-02-${kind}`, (client) => (valkey = client));
  beforeAll(async () => {
    sql = await connectSql(testConfig(), kind);
    await ensureTinyDataset(sql);
  });
  afterAll(async () => {
    await sql?.close();
  });

  describe('Your turn 2.1, the cache-aside read', () => {
    const grade = (readThrough: ReadThrough) => gradeReadThrough(lab(), readThrough);

    it('says the shipped stub is not done, with no check passed and no key left behind', async () => {
      const result = await grade(fromCell(shippedStub('02', 'read-through'), 'readThrough'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('passes the reference solution, every check, and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('02', 'read-through'), 'readThrough'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(8);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a read that sets no TTL, at the TTL check', async () => {
      const noTtl: ReadThrough = async (key, _ttl, load) => {
        const cached = await valkey.get(key);
        if (cached !== null) return JSON.parse(cached);
        const value = await load();
        await valkey.set(key, JSON.stringify(value));
        return value;
      };
      const result = await grade(noTtl);
      expect(result.failure).toMatchObject({
        check: expect.stringContaining('expires within the TTL'),
        seen: 'no expiry (TTL -1)',
      });
      expect(result.failure!.hint).toMatch(/'EX' ttlSeconds/);
    });

    it('fails a read that loads on every call: the second read is no hit', async () => {
      const alwaysLoads: ReadThrough = async (key, ttl, load) => {
        const value = await load();
        await valkey.set(key, JSON.stringify(value), 'EX', ttl);
        return value;
      };
      const result = await grade(alwaysLoads);
      expect(result.passed).toContain('the first read misses and asks the database once');
      expect(result.failure).toMatchObject({
        check: 'the second read is a hit: no database call',
        seen: '2 calls to load()',
      });
    });

    it('fails a read that caches under another key, naming the key it wrote', async () => {
      const wrongKey: ReadThrough = async (key, ttl, load) => {
        const cached = await valkey.get(`${key}:v2`);
        if (cached !== null) return JSON.parse(cached);
        const value = await load();
        await valkey.set(`${key}:v2`, JSON.stringify(value), 'EX', ttl);
        return value;
      };
      const result = await grade(wrongKey);
      expect(result.failure).toMatchObject({ check: 'the answer is stored under the key you were given' });
      expect(result.failure!.seen).toMatch(/^SET lab:exercise:02:read-through:ttl120:v2$/);
    });

    it('fails a read that returns the cached text instead of rows', async () => {
      const returnsText = (async (key: string, ttl: number, load: () => Promise<unknown>) => {
        const cached = await valkey.get(key);
        if (cached !== null) return cached;
        const value = await load();
        await valkey.set(key, JSON.stringify(value), 'EX', ttl);
        return value;
      }) as ReadThrough;
      const result = await grade(returnsText);
      expect(result.failure).toMatchObject({
        check: 'the hit returns the same rows, as objects',
        seen: 'a string of JSON',
      });
      expect(result.failure!.hint).toMatch(/JSON\.parse/);
    });
  });

  describe('Your turn 2.2, the damaged entry', () => {
    const grade = (safeReadThrough: SafeReadThrough) => gradeSafeReadThrough(lab(), safeReadThrough);

    it('says the shipped stub is not done', async () => {
      const result = await grade(fromCell(shippedStub('02', 'damaged-entry'), 'safeReadThrough'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('02', 'damaged-entry'), 'safeReadThrough'));
      expect(result.failure).toBeUndefined();
      expect(result.status).toBe('passed');
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a read that trusts JSON.parse, with the error it threw and a hint to catch it', async () => {
      const result = await grade(fromCell(referenceSolution('02', 'read-through'), 'readThrough') as SafeReadThrough);
      expect(result.failure).toMatchObject({
        check: expect.stringContaining('JSON cut off half-way'),
        seen: expect.stringMatching(/^SyntaxError: /),
      });
      expect(result.failure!.hint).toMatch(/catch what JSON\.parse throws/);
    });

    it('fails a read that checks the JSON but not its shape', async () => {
      const parsesOnly: SafeReadThrough = async (key, ttl, load) => {
        const cached = await valkey.get(key);
        if (cached) {
          try {
            return JSON.parse(cached);
          } catch {
            // a miss
          }
        }
        const value = await load();
        await valkey.set(key, JSON.stringify(value), 'EX', ttl);
        return value;
      };
      const result = await grade(parsesOnly);
      expect(result.failure).toMatchObject({ check: 'with JSON of another shape, it answers from the database' });
      expect(result.failure!.seen).toContain('Berlin Brandenburg');
    });

    it('fails a read that answers from the database but leaves the damage in place', async () => {
      const neverRepairs: SafeReadThrough = async (key, ttl, load, isValid) => {
        const cached = await valkey.get(key);
        if (cached === null) {
          const value = await load();
          await valkey.set(key, JSON.stringify(value), 'EX', ttl);
          return value;
        }
        try {
          const parsed: unknown = JSON.parse(cached);
          if (isValid(parsed)) return parsed;
        } catch {
          // damaged
        }
        return load();
      };
      const result = await grade(neverRepairs);
      expect(result.failure).toMatchObject({ check: 'JSON cut off half-way is replaced by the rows as JSON' });
      expect(result.failure!.hint).toMatch(/SET the good value over the damaged one/);
    });
  });
});
