// Notebook 05's graders, on a private Valkey: the shipped stub is not done, the reference solution passes, and
// plausible wrong answers fail at the right check with the right hint.

import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import {
  gradeEarlyRefresh,
  gradeLock,
  type LearnersEarlyRefresh,
  type LearnersLock,
} from '../../src/exercises/real-world';
import { lockToken } from '../../src/patterns';
import { listLabKeys } from '../../src/valkey';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';
import { usePrivateValkey } from '../support/valkey';

describe('notebook 05 graders', () => {
  let valkey: Redis;
  const lab = () => ({ valkey });
  const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, lab());

  usePrivateValkey('exercises-05', (client) => (valkey = client));

  describe('Your turn 5.1, the lock', () => {
    const grade = (lock: LearnersLock) => gradeLock(lab(), lock);
    const compareAndDelete = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
    const release = async (key: string, token: string) =>
      Number(await valkey.eval(compareAndDelete, 1, key, token)) === 1;

    it('says the shipped stub is not done, with no check passed and no key left behind', async () => {
      const result = await grade(fromCell(shippedStub('05', 'lock'), 'yourLock'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('passes the reference solution, every check, and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('05', 'lock'), 'yourLock'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(8);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it("fails a release without its token: the late holder deletes the next holder's lock", async () => {
      const result = await grade({
        acquire: async (key, ttlMs) => {
          const token = lockToken();
          return (await valkey.set(key, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
        },
        release: async (key) => (await valkey.del(key)) === 1,
      });
      expect(result.failure).toMatchObject({
        check: "a holder that outlived its lock does not delete the next holder's",
        seen: "the next holder's lock was deleted",
      });
      expect(result.failure!.hint).toMatch(/compare the token/);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a lock without an expiry, at the PTTL check', async () => {
      const result = await grade({
        acquire: async (key) => {
          const token = lockToken();
          return (await valkey.set(key, token, 'NX')) === 'OK' ? token : null;
        },
        release,
      });
      expect(result.failure).toMatchObject({ check: 'the lock key holds that token, expiring within ttlMs' });
      expect(result.failure!.seen).toMatch(/PTTL -1 ms/);
    });

    it('fails a release in two commands (GET, then DEL) as not atomic', async () => {
      const result = await grade({
        acquire: async (key, ttlMs) => {
          const token = lockToken();
          return (await valkey.set(key, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
        },
        release: async (key, token) => (await valkey.get(key)) === token && (await valkey.del(key)) === 1,
      });
      expect(result.failure).toMatchObject({ check: 'the release is one atomic command', seen: 'GET, DEL' });
    });

    it('fails an acquire that looks before it takes: 100 concurrent misses load more than once', async () => {
      const result = await grade({
        acquire: async (key, ttlMs) => {
          if ((await valkey.get(key)) !== null) return null;
          const token = lockToken();
          await valkey.set(key, token, 'PX', ttlMs);
          return token;
        },
        release,
      });
      expect(result.passed).toContain('the release is one atomic command');
      expect(result.failure?.check).toBe('100 concurrent misses under your lock: one load, and all 100 served');
      expect(result.failure!.seen).not.toMatch(/^1 loads/);
      expect(result.failure!.hint).toMatch(/one command/);
      expect(await listLabKeys(valkey)).toEqual([]);
    });
  });

  describe('Your turn 5.2, the XFetch condition', () => {
    const grade = (shouldRecompute: LearnersEarlyRefresh) => gradeEarlyRefresh(lab(), shouldRecompute);

    it('says the shipped stub is not done', async () => {
      const result = await grade(fromCell(shippedStub('05', 'xfetch'), 'shouldRecompute'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution, statistically and in the drill, and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('05', 'xfetch'), 'shouldRecompute'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(12);
      expect(await listLabKeys(valkey)).toEqual([]);
    });

    it('fails a condition that looks behind instead of ahead: past the expiry it seldom refreshes', async () => {
      const result = await grade(
        (now, entry, beta, random) => now + entry.deltaMs * beta * Math.log(1 - random()) >= entry.expiresAt,
      );
      expect(result.failure).toMatchObject({ check: 'after the expiry, every request refreshes' });
    });

    it('fails a fixed window before the expiry: every request in it refreshes', async () => {
      const result = await grade((now, entry, beta) => now >= entry.expiresAt - entry.deltaMs * beta);
      expect(result.passed).toHaveLength(2);
      expect(result.failure?.check).toMatch(/^β = 1, 0.5·Δ·β before the expiry/);
      expect(result.failure!.seen).toBe('100.0%');
    });

    it('fails a condition that leaves β out, at β = 2', async () => {
      const result = await grade(
        (now, entry, _beta, random) => now - entry.deltaMs * Math.log(1 - random()) >= entry.expiresAt,
      );
      expect(result.failure?.check).toMatch(/^β = 2/);
      expect(result.failure!.hint).toMatch(/multiply Δ by the beta/);
    });
  });
});
