import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { beforeEach, describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors';
import { createCacheAside, rowsWithColumns } from '../../src/patterns';
import { connectValkeyUrl, startPrivateValkey } from '../../src/valkey';
import { usePrivateValkey } from '../support/valkey';

interface Airport extends Record<string, unknown> {
  name: string;
  iata: string;
}
const germany: Airport[] = [
  { name: 'Berlin Brandenburg Airport', iata: 'BER' },
  { name: 'Cologne Bonn Airport', iata: 'CGN' },
];
const isAirportRows = rowsWithColumns<Airport>(['name', 'iata']);

describe('cache-aside', () => {
  let valkey: Redis;
  let loads = 0;
  const loadGermany = async () => {
    loads += 1;
    await new Promise((resolve) => setTimeout(resolve, 20)); // the database takes a moment
    return structuredClone(germany);
  };

  usePrivateValkey('cache-aside', (client) => (valkey = client));
  beforeEach(() => {
    loads = 0;
  });

  it('misses first, stores the answer with its TTL, then hits with an equal value', async () => {
    const cacheAside = createCacheAside(valkey);
    const first = await cacheAside('airport:country:Germany', 300, loadGermany, { isValid: isAirportRows });
    const second = await cacheAside('airport:country:Germany', 300, loadGermany, { isValid: isAirportRows });
    expect([first.outcome, second.outcome]).toEqual(['miss', 'hit']);
    expect(second.value).toEqual(germany);
    expect(loads).toBe(1);
    const ttl = await valkey.ttl('airport:country:Germany');
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it.each([
    ['not JSON at all', '{"name": "Berlin Brand', /not valid JSON/],
    ['JSON of the wrong shape', JSON.stringify({ name: 'Berlin' }), /expected shape/],
    ['rows missing a column', JSON.stringify([{ name: 'Berlin' }]), /expected shape/],
  ])('treats an entry that is %s as a miss, reports it, and replaces it', async (_, entry, problem) => {
    await valkey.set('airport:country:Germany', entry, 'EX', 60);
    const cacheAside = createCacheAside(valkey);
    const read = await cacheAside('airport:country:Germany', 300, loadGermany, { isValid: isAirportRows });
    expect(read.outcome).toBe('malformed');
    expect(read.problem).toMatch(problem);
    expect(read.value).toEqual(germany);
    expect(JSON.parse((await valkey.get('airport:country:Germany'))!)).toEqual(germany);
    expect((await cacheAside('airport:country:Germany', 300, loadGermany, { isValid: isAirportRows })).outcome).toBe(
      'hit',
    );
  });

  it('two simultaneous misses for one key both answer correctly and leave one valid entry', async () => {
    const cacheAside = createCacheAside(valkey);
    const [a, b] = await Promise.all([
      cacheAside('airport:country:Germany', 300, loadGermany, { isValid: isAirportRows }),
      cacheAside('airport:country:Germany', 300, loadGermany, { isValid: isAirportRows }),
    ]);
    expect(a.value).toEqual(germany);
    expect(b.value).toEqual(germany);
    expect(JSON.parse((await valkey.get('airport:country:Germany'))!)).toEqual(germany);
    expect((await cacheAside('airport:country:Germany', 300, loadGermany)).outcome).toBe('hit');
  });

  it('rejects a TTL that is not a positive whole number of seconds, in one line that says what to pass', async () => {
    const cacheAside = createCacheAside(valkey);
    await expect(cacheAside('k', 0, loadGermany)).rejects.toThrow(LabError);
    await expect(cacheAside('k', 1.5, loadGermany)).rejects.toThrow(
      'TTL 1.5 is not a whole number of seconds above 0 at cache-aside for key "k". Pass a TTL such as 300 (five minutes).',
    );
    expect(await valkey.exists('k')).toBe(0);
  });
});

describe('cache-aside while Valkey is away', () => {
  it('answers from the database and reports the cache failure, then caches again once Valkey is back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-cache-down-'));
    let server = await startPrivateValkey({ dir });
    const valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:', commandTimeoutMs: 500 });
    valkey.on('error', () => undefined); // reconnect attempts report errors; this test expects them
    const cacheAside = createCacheAside(valkey);
    const load = async () => structuredClone(germany);
    try {
      await server.stop();
      const down = await cacheAside('airport:country:Germany', 300, load);
      expect(down.outcome).toBe('cache-error');
      expect(down.problem).toMatch(/^GET failed:/);
      expect(down.value).toEqual(germany);

      server = await startPrivateValkey({ dir, port: server.port });
      await new Promise<void>((resolve) =>
        valkey.status === 'ready' ? resolve() : valkey.once('ready', () => resolve()),
      );
      expect((await cacheAside('airport:country:Germany', 300, load)).outcome).toBe('miss');
      expect((await cacheAside('airport:country:Germany', 300, load)).outcome).toBe('hit');
    } finally {
      valkey.disconnect();
      await server.stop();
    }
  });
});
