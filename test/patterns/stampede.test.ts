import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireLock,
  backoffMs,
  createCoalescedRead,
  createEarlyRefreshRead,
  createLockedRead,
  createUnprotectedRead,
  releaseLock,
  runStampedeDrill,
  shouldRefreshEarly,
  type StampedeOutcome,
  type StampedeRead,
} from '../../src/patterns';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';

const PREFIX = 'lab:';
const HOLDER_SCRIPT = path.resolve('test/patterns/fixtures/hold-lock.ts');
const holders: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function countOutcomes(reads: ReadonlyArray<StampedeRead<unknown>>): Partial<Record<StampedeOutcome, number>> {
  const counts: Partial<Record<StampedeOutcome, number>> = {};
  for (const read of reads) counts[read.outcome] = (counts[read.outcome] ?? 0) + 1;
  return counts;
}

describe('waiting for a lock', () => {
  it('waits between polls within bounds that grow and stop at the cap, never zero', () => {
    expect(backoffMs(0, 5, 100, () => 0)).toBe(2.5);
    expect(backoffMs(0, 5, 100, () => 0.999)).toBeCloseTo(5, 1);
    expect(backoffMs(3, 5, 100, () => 0)).toBe(20);
    expect(backoffMs(20, 5, 100, () => 0)).toBe(50);
    expect(backoffMs(20, 5, 100, () => 0.999)).toBeLessThan(100);
  });
});

describe('XFetch decision', () => {
  const entry = { deltaMs: 200, expiresAt: 10_000 };

  it('never refreshes early when the random draw looks no distance ahead, and always after expiry', () => {
    expect(shouldRefreshEarly(9_999, entry, 1, () => 0)).toBe(false);
    expect(shouldRefreshEarly(10_000, entry, 1, () => 0)).toBe(true);
  });

  it('looks further ahead for a slower recompute and a larger beta', () => {
    const draw = () => 1 - Math.exp(-2); // −ln(1 − draw) = 2: looks 2·Δ·β ahead
    expect(shouldRefreshEarly(9_500, entry, 1, draw)).toBe(false); // 9500 + 400 < 10000
    expect(shouldRefreshEarly(9_650, entry, 1, draw)).toBe(true); // 9650 + 400 ≥ 10000
    expect(shouldRefreshEarly(9_500, entry, 2, draw)).toBe(true); // 9500 + 800
    expect(shouldRefreshEarly(9_500, { deltaMs: 300, expiresAt: 10_000 }, 1, draw)).toBe(true);
  });
});

describe('stampede strategies on a real Valkey', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  let loads = 0;
  const slowLoad = async () => {
    loads += 1;
    await sleep(50);
    return { busiest: 'ATL', load: loads };
  };
  const burst = <T>(n: number, read: () => Promise<T>) => Promise.all(Array.from({ length: n }, read));

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-stampede-')), removeDir: true });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: PREFIX });
  });
  afterAll(async () => {
    for (const holder of holders) if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
    valkey?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    loads = 0;
    await clearLabKeys(valkey);
  });

  it("a token-checked release cannot delete another holder's lock", async () => {
    const first = await acquireLock(valkey, 'hot:lock', 100);
    expect(first).not.toBeNull();
    expect(await acquireLock(valkey, 'hot:lock', 100)).toBeNull(); // held
    await sleep(150); // the first holder's lock expires while it is still "working"
    const second = await acquireLock(valkey, 'hot:lock', 5_000);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    // The first holder finishes late and releases: the second holder's lock must survive.
    expect(await releaseLock(valkey, 'hot:lock', first!, 'lua')).toBe(false);
    expect(await valkey.get('hot:lock')).toBe(second);
    expect(await releaseLock(valkey, 'hot:lock', second!, 'lua')).toBe(true);
    expect(await valkey.exists('hot:lock')).toBe(0);
  });

  it("takes and releases the lock under the client's key prefix", async () => {
    const plain = await connectValkeyUrl(server.url);
    try {
      const token = await acquireLock(valkey, 'hot:lock', 5_000);
      expect(await plain.get('lab:hot:lock')).toBe(token);
      expect(await plain.exists('hot:lock')).toBe(0);
      expect(await releaseLock(valkey, 'hot:lock', token!, 'lua')).toBe(true);
      expect(await plain.exists('lab:hot:lock')).toBe(0);
    } finally {
      plain.disconnect();
    }
  });

  it('with no protection, 100 concurrent misses all reach the database', async () => {
    const none = createUnprotectedRead(valkey, { ttlMs: 30_000 });
    const reads = await burst(100, () => none.read('hot:ranking', slowLoad));
    console.log(`no protection: ${loads} loads for 100 concurrent misses`);
    expect(loads).toBeGreaterThan(1);
    expect(loads).toBe(100);
    expect(countOutcomes(reads)).toEqual({ loaded: 100 });
  });

  it('with the lock, 100 concurrent misses cause exactly one load, and every request gets the value', async () => {
    const lock = createLockedRead(valkey, { ttlMs: 30_000, lockTtlMs: 2_000 });
    const reads = await burst(120, () => lock.read('hot:ranking', slowLoad));
    expect(loads).toBe(1);
    expect(countOutcomes(reads)).toEqual({ loaded: 1, waited: 119 });
    expect(reads.every((r) => r.value.busiest === 'ATL' && r.value.load === 1)).toBe(true);
    expect(await valkey.exists('hot:ranking:lock')).toBe(0); // released
    expect(await valkey.pttl('hot:ranking')).toBeGreaterThan(29_000);
    expect(await lock.release()).toBe('lua');
  });

  it('with coalescing, 100 concurrent misses in one process cause exactly one load', async () => {
    const coalescing = createCoalescedRead(valkey, { ttlMs: 30_000 });
    const reads = await burst(100, () => coalescing.read('hot:ranking', slowLoad));
    expect(loads).toBe(1);
    expect(countOutcomes(reads)).toEqual({ loaded: 1, coalesced: 99 });
    expect(coalescing.inFlight()).toEqual([]);
    expect(JSON.parse((await valkey.get('hot:ranking'))!)).toEqual({ busiest: 'ATL', load: 1 });
  });

  it('a waiter that waits past maxWaitMs asks the database itself and stores nothing', async () => {
    const held = await acquireLock(valkey, 'hot:ranking:lock', 5_000);
    const lock = createLockedRead(valkey, { ttlMs: 30_000, lockTtlMs: 5_000, maxWaitMs: 80 });
    const read = await lock.read('hot:ranking', slowLoad);
    expect(read.outcome).toBe('gave-up');
    expect(read.value.busiest).toBe('ATL');
    expect(read.polls).toBeGreaterThan(1);
    expect(await valkey.exists('hot:ranking')).toBe(0);
    expect(await valkey.get('hot:ranking:lock')).toBe(held);
  });

  it('a holder that dies mid-rebuild is replaced after its lock expires, by exactly one request', async () => {
    const lockTtlMs = 3_000;
    // Node itself with tsx's loader (not the tsx launcher, which runs the script in a child of its own): the
    // process killed below is the one holding the lock.
    const holder: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', HOLDER_SCRIPT, server.url, PREFIX, 'hot:ranking:lock', String(lockTtlMs)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    holders.push(holder);
    const said = await new Promise<string>((resolve, reject) => {
      holder.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      holder.once('exit', (code) => reject(new Error(`the holder exited early (${code})`)));
    });
    expect(said).toMatch(/^locked [0-9a-f]{32}$/);
    const exited = new Promise((resolve) => holder.once('exit', (_code, signal) => resolve(signal)));
    holder.kill('SIGKILL'); // dies holding the lock: it never releases
    expect(await exited).toBe('SIGKILL');
    expect(await valkey.get('hot:ranking:lock')).toBe(said.slice('locked '.length));
    const remainingMs = await valkey.pttl('hot:ranking:lock');
    expect(remainingMs).toBeGreaterThan(0);

    const lock = createLockedRead(valkey, { ttlMs: 30_000, lockTtlMs, maxWaitMs: 10_000 });
    const started = Date.now();
    const reads = await burst(100, () => lock.read('hot:ranking', slowLoad));
    expect(loads).toBe(1);
    expect(countOutcomes(reads)).toEqual({ 'took-over': 1, waited: 99 });
    expect(reads.every((r) => r.value.load === 1)).toBe(true);
    // Nobody rebuilt while the dead holder's lock lived.
    expect(Date.now() - started).toBeGreaterThanOrEqual(remainingMs - 5);
    expect(await valkey.exists('hot:ranking:lock')).toBe(0);
  });

  it('early refresh serves hits far from expiry and recomputes when its draw looks past expiry', async () => {
    let draw = 0;
    const xfetch = createEarlyRefreshRead(valkey, { ttlMs: 30_000, random: () => draw });
    await xfetch.prime('hot:ranking', slowLoad, 10_000);
    const primed = JSON.parse((await valkey.get('hot:ranking'))!);
    expect(primed.deltaMs).toBeGreaterThanOrEqual(45); // the load's time, measured
    expect(primed.expiresAt).toBeGreaterThan(Date.now());
    expect((await xfetch.read('hot:ranking', slowLoad)).outcome).toBe('hit');
    draw = 1 - 1e-200; // −ln(1e-200) ≈ 460: looks ~460·Δ ≈ 20 s ahead, past the 10 s left
    const refreshed = await xfetch.read('hot:ranking', slowLoad);
    expect(refreshed.outcome).toBe('early-refresh');
    expect(refreshed.value.load).toBe(2);
    const stored = JSON.parse((await valkey.get('hot:ranking'))!);
    expect(stored.value.load).toBe(2);
    expect(stored.expiresAt).toBeGreaterThan(primed.expiresAt);
    expect(await valkey.pttl('hot:ranking')).toBeGreaterThan(29_000);
    await valkey.del('hot:ranking');
    expect((await xfetch.read('hot:ranking', slowLoad)).outcome).toBe('loaded');
  });

  it('treats a damaged entry as missing and rebuilds it, under every strategy', async () => {
    const strategies = [
      createUnprotectedRead(valkey, { ttlMs: 30_000 }),
      createLockedRead(valkey, { ttlMs: 30_000 }),
      createEarlyRefreshRead(valkey, { ttlMs: 30_000 }),
      createCoalescedRead(valkey, { ttlMs: 30_000 }),
    ];
    for (const strategy of strategies) {
      await valkey.set('hot:ranking', '{"busiest": "AT', 'PX', 30_000);
      const read = await strategy.read('hot:ranking', slowLoad);
      expect([strategy.name, read.outcome, read.value.busiest]).toEqual([strategy.name, 'loaded', 'ATL']);
      expect((await strategy.read('hot:ranking', slowLoad)).outcome).toBe('hit');
      await valkey.del('hot:ranking');
    }
    expect(loads).toBe(4);
  });

  it('refuses a drill of no requests or of more than the lab runs', async () => {
    const none = createUnprotectedRead(valkey, { ttlMs: 30_000 });
    await expect(runStampedeDrill(none, { key: 'k', load: slowLoad, concurrency: 0 })).rejects.toThrow(
      /concurrency 1 to 1000/,
    );
    await expect(runStampedeDrill(none, { key: 'k', load: slowLoad, waves: 1000 })).rejects.toThrow(/waves 1 to 100/);
    expect(loads).toBe(0);
  });

  it('a drill with the lock sends 100 requests per wave and makes at most one database call for the expiry', async () => {
    const lock = createLockedRead(valkey, { ttlMs: 30_000, lockTtlMs: 2_000 });
    const run = await runStampedeDrill(lock, {
      key: 'hot:ranking',
      load: slowLoad,
      concurrency: 100,
      waves: 4,
      waveIntervalMs: 40,
      expiresInMs: 50,
    });
    expect(run.requests).toBe(400);
    expect(run.failed).toBe(0);
    expect(run.served).toBe(400);
    expect(run.dbCalls).toBe(1);
    expect(run.outcomes.loaded).toBe(1);
    expect(run.outcomes.hit + run.outcomes.waited + run.outcomes.loaded).toBe(400);
    expect(loads).toBe(2); // priming plus the one rebuild
  });
});
