// Notebook 06's graders, on private Valkey servers they start themselves: the shipped stub is not done, the
// reference solution passes, and plausible wrong answers fail at the right check with the right hint.

import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSql, type SqlEngine } from '../../src/db';
import {
  gradeAirportBudget,
  gradeEvictionChoice,
  type AirportStore,
  type EvictionChoice,
} from '../../src/exercises/performance';
import { ensureTinyDataset } from '../support/dataset';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';
import { testConfig } from '../support/lab';

describe('notebook 06 graders', () => {
  let sql: SqlEngine;
  const lab = () => ({ sql });
  const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, lab());

  beforeAll(async () => {
    sql = await connectSql(testConfig(), 'mysql');
    await ensureTinyDataset(sql);
  });
  afterAll(async () => {
    await sql?.close();
  });

  describe('Your turn 6.2, predict the eviction policy', () => {
    const grade = (choice: EvictionChoice) => gradeEvictionChoice(() => choice);

    it('says the shipped stub is not done', async () => {
      const result = await gradeEvictionChoice(fromCell(shippedStub('06', 'predict-eviction'), 'chooseEviction'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution: LFU, measured on a private server, as predicted', async () => {
      const result = await gradeEvictionChoice(fromCell(referenceSolution('06', 'predict-eviction'), 'chooseEviction'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(4);
    });

    it('fails more memory than the budget allows, before running anything', async () => {
      const result = await grade({ policy: 'allkeys-lfu', roomMb: 0.5, predictedHitRatio: 0.85 });
      expect(result.failure).toMatchObject({ check: 'a policy, and at most 0.35 MB for data' });
    });

    it('fails noeviction: it refuses writes once full', async () => {
      const result = await grade({ policy: 'noeviction', roomMb: 0.35, predictedHitRatio: 0.75 });
      expect(result.failure).toMatchObject({ check: 'no write is refused' });
      expect(result.failure!.hint).toMatch(/noeviction refuses writes/);
    });

    it('fails allkeys-lru at the target: within seconds it is no better than random', async () => {
      const result = await grade({ policy: 'allkeys-lru', roomMb: 0.35, predictedHitRatio: 0.72 });
      expect(result.passed).toContain('no write is refused');
      expect(result.failure?.check).toMatch(/^the hit ratio reaches 75%/);
      expect(result.failure!.hint).toMatch(/by counting/);
    });

    it('fails a prediction far from the measurement, and says so for a percentage', async () => {
      const result = await grade({ policy: 'allkeys-lfu', roomMb: 0.35, predictedHitRatio: 95 });
      expect(result.failure?.check).toBe('your prediction is within 4 points of the measurement');
      expect(result.failure!.seen).toMatch(/a percentage\?/);
    });
  });

  describe('Your turn 6.1, airports in a memory budget', () => {
    const grade = (store: AirportStore) => gradeAirportBudget(lab(), store);

    it('says the shipped stub is not done', async () => {
      const result = await grade(fromCell(shippedStub('06', 'memory-budget'), 'airportStore'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution: buckets of listpack HASHes', async () => {
      const result = await grade(fromCell(referenceSolution('06', 'memory-budget'), 'airportStore'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(2);
    });

    it('fails a JSON string per airport, over the budget', async () => {
      const result = await grade({
        store: async (valkey, airports) => {
          for (const a of airports)
            await valkey.set(`airport:${a.iata}`, JSON.stringify({ name: a.name, city: a.city }));
        },
        read: async (valkey, iata) => JSON.parse((await valkey.get(`airport:${iata}`)) ?? 'null'),
      });
      expect(result.passed).toHaveLength(1);
      expect(result.failure?.check).toMatch(/^within 70 bytes per airport/);
      expect(result.failure!.hint).toMatch(/listpack/);
    });

    it('fails one HASH for all airports: past 512 fields it is a hashtable', async () => {
      const result = await grade({
        store: async (valkey: Redis, airports) => {
          for (const a of airports) await valkey.hset('airports', a.iata, JSON.stringify([a.name, a.city]));
        },
        read: async (valkey: Redis, iata) => {
          const [name, city] = JSON.parse((await valkey.hget('airports', iata)) ?? '[null, null]');
          return name === null ? null : { name, city };
        },
      });
      expect(result.failure?.check).toMatch(/^within 70 bytes per airport \(\d+\.\d in 1 keys\)/);
    });

    it('fails a store whose read mixes up name and city', async () => {
      const result = await grade({
        store: async (valkey, airports) => {
          for (const a of airports)
            await valkey.hset(`airports:${a.iata[0]}`, `${a.iata}:n`, a.name, `${a.iata}:c`, a.city);
        },
        read: async (valkey, iata) => {
          const [name, city] = await valkey.hmget(`airports:${iata[0]}`, `${iata}:n`, `${iata}:c`);
          return { name: city ?? '', city: name ?? '' };
        },
      });
      expect(result.failure?.check).toMatch(/reads back with its name and city$/);
    });
  });
});
