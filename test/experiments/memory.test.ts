// Memory per representation and the listpack → hashtable switch, measured on a private server.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airportMemoryByRepresentation, listpackSwitch, seatMemoryByRepresentation } from '../../src/experiments';
import { connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';

const airports = Array.from({ length: 60 }, (_, i) => ({
  name: `Regional Airport Number ${i}`,
  iata: `R${String(i).padStart(2, '0')}`,
  icao: `EDR${String(i).padStart(1, '0')}`,
  city: `Town ${i}`,
  country: 'Germany',
}));

describe('memory per representation', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-memory-')), removeDir: true });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
  });
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
  });

  it('stores every airport four ways and reports bytes and encodings for each', async () => {
    const { usage, keys } = await airportMemoryByRepresentation(valkey, airports, 'perf:test');
    expect(usage.map((u) => u.representation)).toHaveLength(4);
    expect(keys).toHaveLength(60 * 3 + 1);
    expect(await valkey.exists(...keys)).toBe(keys.length);
    const [json, hash, compact] = usage;
    expect(json!.encodings).toEqual(['raw']); // JSON longer than 44 bytes is not embedded
    expect(hash!.encodings).toEqual(['listpack']);
    expect(compact!.bytesPerRecord).toBeLessThanOrEqual(hash!.bytesPerRecord);
    for (const u of usage) expect(u.totalBytes).toBeGreaterThan(u.records * 20);
    expect(await valkey.hget('perf:test:compact:R07', 'n')).toBe('Regional Airport Number 7');
  });

  it('a bitmap keeps a seat map in fewer bytes than a HASH of statuses', async () => {
    const { usage } = await seatMemoryByRepresentation(valkey, {
      seats: 150,
      taken: [0, 3, 17, 149],
      namespace: 'perf:test',
    });
    const byName = Object.fromEntries(usage.map((u) => [u.representation, u]));
    expect(byName['bitmap, 1 bit per seat']!.totalBytes).toBeLessThan(byName['HASH seat → status']!.totalBytes);
    expect(await valkey.getbit('perf:test:seats:bitmap', 17)).toBe(1);
    expect(await valkey.getbit('perf:test:seats:bitmap', 18)).toBe(0);
    expect(await valkey.bitcount('perf:test:seats:bitmap')).toBe(4);
  });

  it('a HASH turns from listpack into hashtable one field past the entries limit and one byte past the value limit', async () => {
    const result = await listpackSwitch(valkey, 'perf:test:lp');
    const atLimit = result.byEntries.find((s) => s.entries === result.entriesLimit)!;
    const past = result.byEntries.find((s) => s.entries === result.entriesLimit + 1)!;
    expect([atLimit.encoding, past.encoding]).toEqual(['listpack', 'hashtable']);
    expect(past.bytes).toBeGreaterThan(atLimit.bytes);
    const valueAt = result.byValue.find((s) => s.longestValue === result.valueLimit)!;
    const valuePast = result.byValue.find((s) => s.longestValue === result.valueLimit + 1)!;
    expect([valueAt.encoding, valuePast.encoding]).toEqual(['listpack', 'hashtable']);
    expect(await valkey.exists('perf:test:lp:entries', 'perf:test:lp:value')).toBe(0);
  });
});
