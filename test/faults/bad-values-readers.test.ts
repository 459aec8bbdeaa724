// Corrupted, truncated, empty and oversize cache entries under every reader that keeps its values in Valkey
// alone (tags, the stampede strategies, hierarchy levels, the refresh queue, the near cache, sessions and the
// leaderboard): never a crash, never a wrong answer; replaced where the pattern writes entries.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors';
import { CACHE_ASIDE_MAX_CHARS, rowsWithColumns, type ShapeCheck } from '../../src/patterns/cache-aside';
import { createCoalescedRead } from '../../src/patterns/coalesce';
import { createEarlyRefreshRead } from '../../src/patterns/early-refresh';
import { aboveKey, createHierarchy } from '../../src/patterns/hierarchy';
import { createLockedRead } from '../../src/patterns/lock';
import { createNearCache } from '../../src/patterns/near-cache';
import { createUnprotectedRead, type StampedeStrategy } from '../../src/patterns/stampede';
import { createCacheTags } from '../../src/patterns/tags';
import { createRefreshWorker, enqueueRefresh } from '../../src/patterns/warming';
import { createLeaderboard } from '../../src/structures/leaderboard';
import { createSessionStore, newSessionId } from '../../src/structures/sessions';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { badJson, type BadEntry } from '../support/bad-entries';

// A user's last flights (notebook 03's history rows), as the tags and the stampede readers cache them.
interface HistoryRow extends Record<string, unknown> {
  flightno: string;
  dep_iata: string;
  arr_iata: string;
  departure: string;
  seat: string;
}
const history: HistoryRow[] = [
  { flightno: 'AA123', dep_iata: 'JFK', arr_iata: 'LAX', departure: '2025-12-15T08:00:00.000Z', seat: '12C' },
  { flightno: 'DL456', dep_iata: 'LAX', arr_iata: 'JFK', departure: '2025-12-22T17:30:00.000Z', seat: '3A' },
];
const isHistory = rowsWithColumns<HistoryRow>(['flightno', 'dep_iata', 'arr_iata', 'departure', 'seat']);
const historyJson = JSON.stringify(history);
const hugeHistory = [{ ...history[0]!, seat: 'x'.repeat(CACHE_ASIDE_MAX_CHARS) }];
const HISTORY_BAD = [
  ...badJson(historyJson, { flightno: 'AA123' }, hugeHistory),
  ['rows missing a column', '[{"flightno":"AA123"}]'],
] as BadEntry[];

describe('bad cache entries under every reader', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  let loads = 0;
  const loadHistory = async () => {
    loads += 1;
    return structuredClone(history);
  };

  beforeAll(async () => {
    server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-faults-readers-')),
      removeDir: true,
    });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'faults:' });
  });
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    loads = 0;
    await clearLabKeys(valkey);
  });

  describe('cache tags: readTagged', () => {
    const key = 'user:12345:flights';

    it.each(HISTORY_BAD)(
      '%s is malformed, answered by the database and replaced with its tags',
      async (_name, entry) => {
        await valkey.set(key, entry, 'EX', 60);
        const tags = createCacheTags(valkey);
        const first = await tags.readTagged(key, 300, ['user:12345'], loadHistory, { isValid: isHistory });
        expect(first).toMatchObject({ outcome: 'malformed', value: history });
        expect(first.problem).toBeTruthy();
        expect(await valkey.get(key)).toBe(historyJson);
        expect(await valkey.ttl(key)).toBeGreaterThan(60);
        expect(await tags.taggedKeys('user:12345')).toEqual([key]);
        const second = await tags.readTagged(key, 300, ['user:12345'], loadHistory, { isValid: isHistory });
        expect(second.outcome).toBe('hit');
        expect(loads).toBe(1);
      },
    );

    it("another type under the key is a cache error, answered by the database, as cache-aside's", async () => {
      await valkey.hset(key, 'status', 'Gold');
      const read = await createCacheTags(valkey).readTagged(key, 300, ['user:12345'], loadHistory, {
        isValid: isHistory,
      });
      expect(read).toMatchObject({ outcome: 'cache-error', value: history });
      expect(read.problem).toMatch(/WRONGTYPE/);
      expect(await valkey.type(key)).toBe('hash'); // a HASH tagged with tagKeys is someone else's structure
    });
  });

  describe('the stampede strategies', () => {
    const strategies: Array<[string, (client: Redis) => StampedeStrategy]> = [
      ['none', (client) => createUnprotectedRead(client, { ttlMs: 300_000 })],
      ['lock', (client) => createLockedRead(client, { ttlMs: 300_000, release: 'lua' })],
      ['coalescing', (client) => createCoalescedRead(client, { ttlMs: 300_000 })],
    ];
    const cases = strategies.flatMap(([name, make]) =>
      [...HISTORY_BAD, ['another type (a hash)', null] as [string, null]].map(
        ([entry, bytes]) => [name, entry, make, bytes] as const,
      ),
    );

    it.each(cases)('%s: %s is loaded again and replaced', async (_strategy, _entry, make, bytes) => {
      const key = 'stampede:history:12345';
      if (bytes === null) await valkey.hset(key, 'a', '1');
      else await valkey.set(key, bytes, 'PX', 60_000);
      const strategy = make(valkey);
      const first = await strategy.read(key, loadHistory, { isValid: isHistory });
      expect(first).toMatchObject({ outcome: 'loaded', value: history });
      expect(first.problem).toBeTruthy();
      expect(await valkey.get(key)).toBe(historyJson);
      expect(await valkey.pttl(key)).toBeGreaterThan(60_000);
      expect((await strategy.read(key, loadHistory, { isValid: isHistory })).outcome).toBe('hit');
      expect(loads).toBe(1);
    });

    describe('early refresh: the stored envelope', () => {
      const envelope = { value: history, deltaMs: 12.5, expiresAt: Date.now() + 600_000 };
      const good = JSON.stringify(envelope);
      const ENVELOPE_BAD: Array<[string, string | Buffer | null]> = [
        ...badJson(good, history, { ...envelope, value: hugeHistory }),
        ['an envelope whose deltaMs is text', JSON.stringify({ ...envelope, deltaMs: '12.5' })],
        ['an envelope without its expiry', JSON.stringify({ value: history, deltaMs: 12.5 })],
        ['an envelope whose value has another shape', JSON.stringify({ ...envelope, value: { flightno: 'AA123' } })],
        ['another type (a hash)', null],
      ];

      it.each(ENVELOPE_BAD)('%s is loaded again and replaced', async (_name, bytes) => {
        const key = 'stampede:early:12345';
        if (bytes === null) await valkey.hset(key, 'value', historyJson);
        else await valkey.set(key, bytes, 'PX', 60_000);
        // random() = 0 makes the XFetch look-ahead zero: a good entry far from expiry is always a hit.
        const strategy = createEarlyRefreshRead(valkey, { ttlMs: 300_000, random: () => 0 });
        const first = await strategy.read(key, loadHistory, { isValid: isHistory });
        expect(first).toMatchObject({ outcome: 'loaded', value: history });
        expect(first.problem).toBeTruthy();
        const stored = JSON.parse((await valkey.get(key))!) as { value: unknown; deltaMs: number; expiresAt: number };
        expect(stored.value).toEqual(history);
        expect(typeof stored.deltaMs).toBe('number');
        expect(await valkey.pttl(key)).toBeGreaterThan(60_000);
        expect((await strategy.read(key, loadHistory, { isValid: isHistory })).outcome).toBe('hit');
        expect(loads).toBe(1);
      });
    });
  });

  describe('hierarchy levels', () => {
    // Notebook 04's level 2: one hub's route summary, computed from the airport's entry.
    interface RouteSummary {
      iata: string;
      name: string;
      total_routes: number;
    }
    const summary: RouteSummary = { iata: 'ATL', name: 'Hartsfield Jackson Atlanta Intl', total_routes: 42 };
    const isSummary: ShapeCheck<RouteSummary> = (v): v is RouteSummary =>
      typeof v === 'object' && v !== null && typeof (v as RouteSummary).iata === 'string' && 'total_routes' in v;
    const loadSummary = async () => {
      loads += 1;
      return { ...summary };
    };
    const key = 'route:summary:{ATL}';
    const source = 'airport:{ATL}';
    const SUMMARY_BAD: Array<[string, string | Buffer | null]> = [
      ...badJson(JSON.stringify(summary), [summary], { ...summary, name: 'x'.repeat(CACHE_ASIDE_MAX_CHARS) }),
      ['another type (a list)', null],
    ];

    it.each(SUMMARY_BAD)(
      'a JSON level holding %s is malformed, recomputed, replaced and linked',
      async (_name, bytes) => {
        if (bytes === null) await valkey.rpush(key, 'ATL');
        else await valkey.set(key, bytes, 'EX', 60);
        const hierarchy = createHierarchy(valkey);
        const first = await hierarchy.json(key, 300, [source], loadSummary, { isValid: isSummary });
        expect(first).toMatchObject({ outcome: 'malformed', value: summary });
        expect(first.problem).toBeTruthy();
        expect(JSON.parse((await valkey.get(key))!)).toEqual(summary);
        expect(await valkey.ttl(key)).toBeGreaterThan(60);
        expect(await hierarchy.above(source)).toEqual([key]);
        expect((await hierarchy.json(key, 300, [source], loadSummary, { isValid: isSummary })).outcome).toBe('hit');
        expect(loads).toBe(1);
      },
    );

    it.each([
      ['a string', (k: string) => valkey.set(k, 'ATL:42')],
      ['a hash', (k: string) => valkey.hset(k, 'ATL', '42')],
    ])('a ranking level holding %s is malformed, recomputed and replaced by the ZSET', async (_name, put) => {
      const ranking = 'hub:routes:outbound';
      await put(ranking);
      const hubs = [
        { member: 'ORD', score: 40 },
        { member: 'ATL', score: 42 },
      ];
      const hierarchy = createHierarchy(valkey);
      const first = await hierarchy.ranking(ranking, 300, [key], async () => hubs);
      expect(first.outcome).toBe('malformed');
      expect(first.problem).toMatch(/WRONGTYPE|type/);
      expect(first.value.map((h) => h.member)).toEqual(['ATL', 'ORD']);
      expect(await valkey.type(ranking)).toBe('zset');
      expect(await valkey.ttl(ranking)).toBeGreaterThan(0);
      expect((await hierarchy.ranking(ranking, 300, [key], async () => [])).outcome).toBe('hit');
    });
  });

  describe('the refresh queue', () => {
    it('refreshes keys whose entries are garbage or of another type, skips garbage names, and keeps TTLs', async () => {
      await valkey.set('flight:search:JFK:LAX:2025-12-15', Buffer.from([0xff, 0x00, 0x81]), 'EX', 60);
      await valkey.hset('flight:search:JFK:LAX:2025-12-16', 'a', '1');
      await enqueueRefresh(valkey, [
        'flight:search:JFK:LAX:2025-12-15',
        '',
        '\u0000\uffff',
        'flight:search:JFK:LAX:2025-12-16',
      ]);
      const worker = createRefreshWorker(valkey, {
        refresh: async (key) => (key.startsWith('flight:search:') ? { value: history, ttlSeconds: 300 } : null),
      });
      const drained = await worker.drain();
      expect(drained.refreshed.map((r) => r.outcome)).toEqual(['refreshed', 'skipped', 'skipped', 'refreshed']);
      for (const key of ['flight:search:JFK:LAX:2025-12-15', 'flight:search:JFK:LAX:2025-12-16']) {
        expect(await valkey.get(key)).toBe(historyJson);
        expect(await valkey.ttl(key)).toBeGreaterThan(60);
      }
    });

    it('a queue key of another type is a clear error, and the key is left alone', async () => {
      await valkey.set('cache:refresh:queue', 'not a list');
      const worker = createRefreshWorker(valkey, { refresh: async () => null });
      const error = await worker.drain().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LabError);
      expect(String((error as Error).message)).toMatch(/cache:refresh:queue.*string, not a list/);
      expect(await valkey.get('cache:refresh:queue')).toBe('not a list');
    });
  });

  describe('the near cache', () => {
    // An airport record as JSON text; the application says what a usable one looks like.
    const record = JSON.stringify({ iata: 'JFK', name: 'John F Kennedy International' });
    const isRecord = (text: string) => {
      try {
        return typeof (JSON.parse(text) as { name?: unknown }).name === 'string';
      } catch {
        return false;
      }
    };
    const NEAR_BAD: Array<[string, string | Buffer | null]> = [
      ...badJson(record, ['JFK'], { name: 'x'.repeat(CACHE_ASIDE_MAX_CHARS) }),
      ['another type (a hash)', null],
    ];

    it.each(NEAR_BAD)('%s is reported malformed and never kept in memory', async (_name, bytes) => {
      const key = 'airport:{JFK}:record';
      if (bytes === null) await valkey.hset(key, 'name', 'JFK');
      else await valkey.set(key, bytes, 'EX', 60);
      const near = await createNearCache(valkey, { isValid: isRecord });
      try {
        const first = await near.get(key);
        expect(first).toMatchObject({ outcome: 'malformed', value: null });
        expect(first.problem).toBeTruthy();
        expect(near.size).toBe(0);
        expect((await near.get(key)).outcome).toBe('malformed'); // asked Valkey again, not memory
        // The application loads from the database and writes the good value: the next reads use it (once the
        // invalidation for the bad value Valkey saw this process read has arrived).
        const arrived = near.nextInvalidation(key);
        await valkey.set(key, record, 'EX', 300);
        await arrived;
        expect((await near.get(key)).outcome).toBe('valkey-hit');
        expect(await near.get(key)).toMatchObject({ outcome: 'near-hit', value: record });
      } finally {
        near.close();
      }
    });
  });

  describe('sessions', () => {
    const GARBAGE_SESSIONS: Array<[string, (key: string) => Promise<unknown>]> = [
      ['garbage bytes', (k) => valkey.set(k, Buffer.from([0xff, 0xfe, 0x00]), 'EX', 600)],
      ['not a hash (JSON text)', (k) => valkey.set(k, '{"user_id":123}', 'EX', 600)],
      ['an empty string', (k) => valkey.set(k, '')],
      ['a list', (k) => valkey.rpush(k, 'user_id', '123')],
      ['an oversize hash', (k) => valkey.hset(k, 'user_id', '123', 'notes', 'x'.repeat(CACHE_ASIDE_MAX_CHARS))],
    ];

    it.each(GARBAGE_SESSIONS)('a session holding %s is no session, and is removed', async (_name, put) => {
      const sessions = createSessionStore(valkey, { ttlSeconds: 1800 });
      const id = newSessionId();
      await put(sessions.keyOf(id));
      const read = await sessions.read(id);
      expect(read).toMatchObject({ found: false, fields: {}, ttlSeconds: -2 });
      expect(read.problem).toBeTruthy();
      expect(await valkey.exists(sessions.keyOf(id))).toBe(0);
      // A real session next to it is untouched.
      const good = await sessions.create({ user_id: 123, username: 'pilot_john' });
      expect((await sessions.read(good)).found).toBe(true);
    });
  });

  describe('the leaderboard', () => {
    it.each([
      ['a string', (k: string) => valkey.set(k, 'ATL')],
      ['a hash', (k: string) => valkey.hset(k, 'ATL', '3')],
    ])('a key holding %s is a clear error on every call, and is left alone', async (name, put) => {
      const key = 'airport:traffic:daily:2025-12-15';
      await put(key);
      const board = createLeaderboard(valkey, key);
      const calls: Array<() => Promise<unknown>> = [
        () => board.top(10),
        () => board.all(),
        () => board.rankOf('ATL'),
        () => board.size(),
        () => board.increment([['ATL', 1]]),
        () => board.setScores({ ATL: 1 }),
      ];
      for (const call of calls) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LabError);
        expect(String((error as Error).message)).toMatch(new RegExp(`${key}.*${name.split(' ')[1]}, not a sorted set`));
      }
      expect(await valkey.type(key)).toBe(name.split(' ')[1]);
    });
  });
});
