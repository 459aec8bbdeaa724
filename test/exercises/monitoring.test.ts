// Notebook 07's graders, on private Valkey servers they start themselves: the shipped stub is not done, the
// reference solution passes, and plausible wrong answers fail at the right check with the right hint.

import { describe, expect, it } from 'vitest';
import { gradeMemoryAlert, gradeWindowHitRatio, type HitRatioDuring } from '../../src/exercises/monitoring';
import { GUIDE_MEMORY_ALERT_LUA, MEMORY_ALERT_LUA } from '../../src/experiments';
import { readInfo } from '../../src/valkey';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';

const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, {});

describe('notebook 07 graders', () => {
  describe('Your turn 7.2, the memory alert', () => {
    it('says the shipped stub is not done', async () => {
      const result = await gradeMemoryAlert(fromCell(shippedStub('07', 'memory-alert'), 'alertScript'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution, and the lab’s own script', async () => {
      const result = await gradeMemoryAlert(fromCell(referenceSolution('07', 'memory-alert'), 'alertScript'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(6);
      expect((await gradeMemoryAlert(MEMORY_ALERT_LUA)).status).toBe('passed');
    });

    it("fails the guide's script: CONFIG is not allowed from a script", async () => {
      const result = await gradeMemoryAlert(GUIDE_MEMORY_ALERT_LUA);
      expect(result.failure).toMatchObject({ check: 'your script runs on the server' });
      expect(result.failure!.seen).toMatch(/not allowed from script/i);
      expect(result.failure!.hint).toMatch(/INFO memory/);
    });

    it('fails a threshold written into the script: it fires late', async () => {
      const result = await gradeMemoryAlert(MEMORY_ALERT_LUA.replace('tonumber(ARGV[1])', '0.8'));
      expect(result.passed.some((c) => c.startsWith('not before'))).toBe(true);
      expect(result.failure?.check).toMatch(/^it fires: every reading above 70% says ALERT/);
      expect(result.failure!.hint).toMatch(/ARGV\[1\]/);
    });

    it('fails a script that compares with maxmemory 0 as a limit', async () => {
      const result = await gradeMemoryAlert(
        MEMORY_ALERT_LUA.replace("if max == 0 then\n    status = 'NO-LIMIT'\nelseif", 'if'),
      );
      expect(result.failure).toMatchObject({ check: 'on a server without maxmemory it says NO-LIMIT' });
      expect(result.failure!.seen).toMatch(/ALERT/);
    });
  });

  describe('Your turn 7.1, the hit ratio of a window', () => {
    it('says the shipped stub is not done', async () => {
      const result = await gradeWindowHitRatio(fromCell(shippedStub('07', 'window-hit-ratio'), 'hitRatioDuring'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution', async () => {
      const result = await gradeWindowHitRatio(fromCell(referenceSolution('07', 'window-hit-ratio'), 'hitRatioDuring'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(2);
    });

    it('fails the lifetime ratio, naming it', async () => {
      const lifetime: HitRatioDuring = async (valkey, work) => {
        await work();
        const { stats } = await readInfo(valkey, 'stats');
        return Number(stats.keyspace_hits) / (Number(stats.keyspace_hits) + Number(stats.keyspace_misses));
      };
      const result = await gradeWindowHitRatio(lifetime);
      expect(result.failure).toMatchObject({ check: 'the window of 800 hits and 200 misses reads 80%' });
      expect(result.failure!.seen).toMatch(/lifetime/);
    });

    it('fails hits divided by misses', async () => {
      const perMiss: HitRatioDuring = async (valkey, work) => {
        const before = (await readInfo(valkey, 'stats')).stats;
        await work();
        const after = (await readInfo(valkey, 'stats')).stats;
        return (
          (Number(after.keyspace_hits) - Number(before.keyspace_hits)) /
          (Number(after.keyspace_misses) - Number(before.keyspace_misses))
        );
      };
      const result = await gradeWindowHitRatio(perMiss);
      expect(result.failure!.seen).toMatch(/hits ÷ misses/);
    });
  });
});
