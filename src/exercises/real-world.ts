// Notebook 05's exercises: take a lock with SET NX PX and release it only with its token; write XFetch's
// early-refresh condition.

import { performance } from 'node:perf_hooks';
import { seededRandom, type Random } from '../measure/random';
import { createEarlyRefreshRead, type EarlyRefreshCondition } from '../patterns/early-refresh';
import { runStampedeDrill } from '../patterns/stampede';
import type { ValkeyClient } from '../valkey/client';
import { captureCommands, type MonitorCapture } from '../valkey/monitor';
import { formatNumber } from '../show/format';
import { grade, shown, type Grade, type Grading } from './grade';

/** The learner's lock: `acquire` takes it (its token, or null while another holds it); `release` gives it back. */
export interface LearnersLock {
  acquire(lockKey: string, ttlMs: number): Promise<string | null>;
  release(lockKey: string, token: string): Promise<boolean>;
}

interface GradedLab {
  valkey: ValkeyClient;
}

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Commands that compare and delete in one step on the server. */
const ATOMIC_RELEASES = ['EVAL', 'EVALSHA', 'EVAL_RO', 'FCALL', 'DELIFEQ'];

/**
 * Grades "Your turn 5.1": a free lock is taken with a token and an expiry, a held one is refused, a holder that
 * outlived its lock cannot delete the next holder's, the release is one atomic command, and 100 concurrent
 * misses that rebuild under the lock make one load.
 */
export async function gradeLock(lab: GradedLab, lock: LearnersLock): Promise<Grade> {
  const key = 'exercise:05:lock';
  const valueKey = 'exercise:05:lock:value';
  let capture: MonitorCapture | undefined;
  return grade(
    { id: 'lock', number: '5.1' },
    async (g) => {
      await lab.valkey.del(key, valueKey);
      const token = await g.attempt('acquire a free lock', () => lock.acquire(key, 2_000), RAN_INTO_ERROR);
      g.expect(typeof token === 'string' && token.length > 0, 'a free lock is taken: acquire returns a token', {
        expected: 'a token (a string)',
        seen: shown(token),
        hint: "SET lockKey token NX PX ttlMs answers 'OK' when it took the lock: return the token then, else null",
      });
      const [stored, left] = [await lab.valkey.get(key), await lab.valkey.pttl(key)];
      g.expect(stored === token && left > 0 && left <= 2_000, 'the lock key holds that token, expiring within ttlMs', {
        expected: `GET ${key} = your token, PTTL 1…2000 ms`,
        seen: `GET = ${shown(stored)}, PTTL ${left} ms`,
        hint: 'store the token itself under lockKey, with PX ttlMs so a dead holder cannot keep the lock forever',
      });
      const second = await g.attempt('acquire it again', () => lock.acquire(key, 2_000), RAN_INTO_ERROR);
      g.expect(second === null, 'while it is held, a second acquire gets null', {
        expected: 'null',
        seen: shown(second),
        hint: 'NX makes SET refuse (reply null) when the key exists: then return null',
      });
      await checkLateHolder(g, lab.valkey, lock, key);

      const own = (await lock.acquire(key, 2_000))!;
      capture = await captureCommands(lab.valkey);
      const released = await g.attempt('release your own lock', () => lock.release(key, own), RAN_INTO_ERROR);
      const commands = (await capture.stop()).map((c) => c.command);
      g.expect(released === true && (await lab.valkey.exists(key)) === 0, 'the holder releases its own lock', {
        expected: 'release() returns true and the key is gone',
        seen: `release() returned ${shown(released)}, key ${(await lab.valkey.exists(key)) ? 'still there' : 'gone'}`,
        hint: 'when the token matches, DEL the key and report that it was deleted',
      });
      g.expect(commands.length === 1 && ATOMIC_RELEASES.includes(commands[0]!), 'the release is one atomic command', {
        expected: 'one EVAL (or DELIFEQ on Valkey 9)',
        seen: commands.join(', ') || 'no command',
        hint: 'a GET then a DEL can be split by another client taking the lock between them: compare and delete in one Lua script',
      });
      await checkOneLoad(g, lab.valkey, lock, key, valueKey);
    },
    async () => {
      await capture?.stop();
      await lab.valkey.del(key, valueKey);
    },
  );
}

/** A holder whose lock expired, then another took it: the first one's late release must leave the new lock alone. */
async function checkLateHolder(g: Grading, valkey: ValkeyClient, lock: LearnersLock, key: string): Promise<void> {
  await valkey.del(key);
  const slow = await g.attempt('a holder takes the lock for 100 ms', () => lock.acquire(key, 100), RAN_INTO_ERROR);
  await sleep(150);
  const next = await g.attempt('the next holder takes it', () => lock.acquire(key, 5_000), RAN_INTO_ERROR);
  g.expect(
    typeof next === 'string' && next !== slow,
    'once the lock expires, the next holder takes it, with its own token',
    {
      expected: 'a new token, different from the first',
      seen: `first ${shown(slow)}, next ${shown(next)}`,
      hint: 'give each acquire a fresh random token (randomBytes(16).toString("hex")) and the lock a PX expiry',
    },
  );
  await g.attempt("the late holder's release", () => lock.release(key, slow!), RAN_INTO_ERROR);
  const holder = await valkey.get(key);
  g.expect(holder === next, "a holder that outlived its lock does not delete the next holder's", {
    expected: `the lock still holds the next holder's token`,
    seen: holder === null ? "the next holder's lock was deleted" : `the lock holds ${shown(holder)}`,
    hint: 'delete only while the key still holds your token: compare the token first, in the same script as the DEL',
  });
  await valkey.del(key);
}

/** 100 requests miss at once and rebuild under the learner's lock: the database must be asked once. */
async function checkOneLoad(
  g: Grading,
  valkey: ValkeyClient,
  lock: LearnersLock,
  key: string,
  valueKey: string,
): Promise<void> {
  let loads = 0;
  const load = async () => {
    loads += 1;
    await sleep(50);
    return 'rebuilt';
  };
  const read = async (): Promise<string> => {
    const started = performance.now();
    while (performance.now() - started < 3_000) {
      const cached = await valkey.get(valueKey);
      if (cached !== null) return cached;
      const token = await lock.acquire(key, 2_000);
      if (token === null) {
        await sleep(10 + Math.random() * 10);
        continue;
      }
      try {
        const again = await valkey.get(valueKey);
        if (again !== null) return again;
        const value = await load();
        await valkey.set(valueKey, value, 'PX', 60_000);
        return value;
      } finally {
        await lock.release(key, token);
      }
    }
    return 'timed out';
  };
  const answers = await g.attempt(
    '100 concurrent misses rebuild under your lock',
    () => Promise.all(Array.from({ length: 100 }, read)),
    RAN_INTO_ERROR,
  );
  const served = answers.filter((a) => a === 'rebuilt').length;
  g.expect(loads === 1 && served === 100, '100 concurrent misses under your lock: one load, and all 100 served', {
    expected: '1 load, 100 requests served',
    seen: `${loads} loads, ${served} served`,
    hint: 'take the lock in one command (SET … NX PX): a GET to see whether it is free, then a SET, lets many take it at once',
  });
}

/** The learner's XFetch test: should this request recompute the entry now? */
export type LearnersEarlyRefresh = EarlyRefreshCondition;

/** Distances before expiry, in units of Δ·β, at which the grader measures how often a request refreshes. */
const DISTANCES = [0.5, 1, 2, 3];
const DRAWS = 20_000;

/**
 * Grades "Your turn 5.2": on a seeded stream of random numbers the condition refreshes always after the expiry,
 * almost never far before it, and at a distance d before it with XFetch's probability e^(−d/(Δβ)), β included;
 * then, on the real server, a drill of waves of concurrent requests with it: early refreshes happen, no request
 * finds the key missing, and only a few refresh at once.
 */
export async function gradeEarlyRefresh(lab: GradedLab, shouldRefresh: LearnersEarlyRefresh): Promise<Grade> {
  const key = 'exercise:05:xfetch';
  return grade(
    { id: 'xfetch', number: '5.2' },
    async (g) => {
      const entry = { deltaMs: 100, expiresAt: 1_000_000 };
      const rate = (nowMs: number, beta: number, random: Random) => {
        let yes = 0;
        for (let i = 0; i < DRAWS; i++) if (shouldRefresh(nowMs, entry, beta, random)) yes += 1;
        return yes / DRAWS;
      };
      const random = seededRandom(2025);
      const after = await g.attempt('after the expiry', () => rate(entry.expiresAt + 1, 1, random), RAN_INTO_ERROR);
      g.expect(after === 1, 'after the expiry, every request refreshes', {
        expected: `${formatNumber(DRAWS)} of ${formatNumber(DRAWS)}`,
        seen: `${formatNumber(Math.round(after * DRAWS))}`,
        hint: 'now − Δ·β·ln(rand) is at least now, so past the expiry the test always holds',
      });
      const far = rate(entry.expiresAt - 20 * entry.deltaMs, 1, random);
      g.expect(far <= 0.001, 'far from the expiry (20·Δ ahead), almost no request refreshes', {
        expected: 'about none (the chance is e^−20)',
        seen: `${formatNumber(Math.round(far * DRAWS))} of ${formatNumber(DRAWS)}`,
        hint: 'ln(rand) is negative: now − Δ·β·ln(rand) looks ahead by a random distance, rarely far',
      });
      for (const beta of [1, 2]) {
        for (const d of DISTANCES) {
          const seen = rate(entry.expiresAt - d * entry.deltaMs * beta, beta, random);
          const expected = Math.exp(-d);
          g.expect(
            Math.abs(seen - expected) <= 0.015,
            `β = ${beta}, ${d}·Δ·β before the expiry: refreshes with probability e^−${d} = ${expected.toFixed(3)}`,
            {
              expected: `${(100 * expected).toFixed(1)}% ± 1.5 of ${formatNumber(DRAWS)} requests`,
              seen: `${(100 * seen).toFixed(1)}%`,
              hint:
                beta === 1
                  ? 'recompute when now − entry.deltaMs · beta · Math.log(random()) ≥ entry.expiresAt, drawing with the random() you are given'
                  : 'multiply Δ by the beta you are given: β > 1 refreshes earlier',
            },
          );
        }
      }
      await checkDrill(g, lab.valkey, key, shouldRefresh);
    },
    () => lab.valkey.del(key),
  );
}

/** Waves of concurrent requests around the expiry, through the lab's early-refresh read with the learner's test. */
async function checkDrill(g: Grading, valkey: ValkeyClient, key: string, shouldRefresh: LearnersEarlyRefresh) {
  const strategy = createEarlyRefreshRead(valkey, {
    ttlMs: 60_000,
    random: seededRandom(7),
    refreshEarly: shouldRefresh,
  });
  const concurrency = 50;
  const run = await g.attempt(
    'a drill on Valkey with your condition',
    () =>
      runStampedeDrill(strategy, {
        key,
        load: () => sleep(100).then(() => 'ranking'),
        concurrency,
        waves: 12,
        waveIntervalMs: 100,
        expiresInMs: 1_000,
      }),
    RAN_INTO_ERROR,
  );
  const early = run.outcomes['early-refresh'];
  g.expect(
    early >= 1 && run.outcomes.loaded === 0,
    'on Valkey: early refreshes happen, and no request finds the key missing',
    {
      expected: 'at least 1 early refresh, 0 requests that found the key missing',
      seen: `${early} early refreshes, ${run.outcomes.loaded} found it missing`,
      hint: 'the value must be recomputed before it expires: look ahead of now, not behind it',
    },
  );
  g.expect(early <= concurrency / 5, 'and not all at once: a few requests refresh, the rest are hits', {
    expected: `at most ${concurrency / 5} of the ${concurrency} requests of a wave`,
    seen: `${early} refreshes`,
    hint: 'the decision must be random per request: a fixed window before the expiry sends every request in it to the database',
  });
}
