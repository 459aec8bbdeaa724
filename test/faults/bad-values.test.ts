// Corrupted, truncated and oversize cache entries: read as misses, replaced by the database's answer.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_ASIDE_MAX_CHARS, createCacheAside, rowsWithColumns } from '../../src/patterns/cache-aside';
import { clearLabKeys, connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { badJson, type BadEntry } from '../support/bad-entries';

interface Flight extends Record<string, unknown> {
  flight_id: number;
  flightno: string;
}
const rows: Flight[] = [
  { flight_id: 1, flightno: 'LH400' },
  { flight_id: 2, flightno: 'UA901' },
];
const isFlights = rowsWithColumns<Flight>(['flight_id', 'flightno']);
const good = JSON.stringify(rows);

const BAD_ENTRIES = [
  ...badJson(good, { flight_id: 1 }, [{ flight_id: 1, flightno: 'x'.repeat(CACHE_ASIDE_MAX_CHARS) }]),
  ['rows missing a column', JSON.stringify([{ flight_id: 1 }])],
] as BadEntry[];

describe('bad cache entries are misses that get replaced', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  let loads = 0;
  const load = async () => {
    loads += 1;
    return structuredClone(rows);
  };

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-faults-values-')), removeDir: true });
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

  it.each(BAD_ENTRIES)('%s', async (_name, entry) => {
    await valkey.set('flights:bad', entry, 'EX', 60);
    const cacheAside = createCacheAside(valkey);
    const first = await cacheAside('flights:bad', 300, load, { isValid: isFlights });
    expect(first.outcome).toBe('malformed');
    expect(first.problem).toBeTruthy();
    expect(first.value).toEqual(rows);
    expect(await valkey.get('flights:bad')).toBe(good); // replaced, with a fresh TTL
    expect(await valkey.ttl('flights:bad')).toBeGreaterThan(60);
    const second = await cacheAside('flights:bad', 300, load, { isValid: isFlights });
    expect(second.outcome).toBe('hit');
    expect(loads).toBe(1);
  });

  it('an answer too large to cache is returned but not written', async () => {
    const cacheAside = createCacheAside(valkey);
    const read = await cacheAside('flights:big', 300, async () => 'x'.repeat(2_000), { maxChars: 1_000 });
    expect(read.outcome).toBe('miss');
    expect(read.problem).toMatch(/not cached: 2002 characters, over the 1000 limit/);
    expect(read.value).toHaveLength(2_000);
    expect(await valkey.exists('flights:big')).toBe(0);
  });

  it('a value of another type under the key (a hash) is a cache error, answered by the database', async () => {
    await valkey.hset('flights:hash', 'a', '1');
    const read = await createCacheAside(valkey)('flights:hash', 300, load, { isValid: isFlights });
    expect(read.outcome).toBe('cache-error');
    expect(read.problem).toMatch(/WRONGTYPE/);
    expect(read.value).toEqual(rows);
    expect(await valkey.type('flights:hash')).toBe('hash'); // someone else's data structure is left alone
  });
});
