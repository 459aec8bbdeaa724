// Checkout holds on every release under test: per-field expiry where the server has it (Valkey 9.0 on), a key per
// hold where it has not, and on 9.1 the older way too (a connection told to take it); the same answers every way.

import type Redis from 'iovalkey';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSeatHolds } from '../../src/structures/seat-holds';
import { connectValkeyUrl, takeFallback, type PrivateValkey } from '../../src/valkey';
import { describeEachValkey } from '../support/valkey-builds';
import { usePrivateValkey } from '../support/valkey';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachValkey('seats held during checkout', (release) => {
  let valkey: Redis;
  let server: PrivateValkey;
  let older: Redis;
  usePrivateValkey(`holds-${release.line}`, (client, started) => ((valkey = client), (server = started)), {
    binary: release.server,
  });
  beforeAll(async () => {
    older = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    await takeFallback(older, 'hashFieldExpiry');
  });
  afterAll(() => older?.disconnect());
  const hasFieldExpiry = release.line !== '8.0';
  const ways = () => [
    { client: valkey, path: hasFieldExpiry ? 'command' : 'fallback' },
    { client: older, path: 'fallback' },
  ];

  it('gives a seat to one holder at a time, and frees it on its own', async () => {
    for (const [i, way] of ways().entries()) {
      const holds = createSeatHolds(way.client, { flightId: 1001 + i, namespace: 'test:' });
      const first = await holds.hold('12A', 'traveller-1', 300);
      expect(first).toMatchObject({ held: true, path: way.path });
      expect(first.command).toBe(way.path === 'command' ? 'HSETEX … FNX' : 'SET … NX');
      expect((await holds.hold('12A', 'traveller-2', 300)).held).toBe(false);
      expect((await holds.hold('12B', 'traveller-2', 300)).held).toBe(true);
      expect(await holds.held()).toEqual({ '12A': 'traveller-1', '12B': 'traveller-2' });
      await sleep(400);
      expect(await holds.held()).toEqual({});
      expect((await holds.hold('12A', 'traveller-2', 300)).held).toBe(true);
      await holds.clear();
    }
  });

  it('lets only the holder release a hold', async () => {
    for (const [i, way] of ways().entries()) {
      const holds = createSeatHolds(way.client, { flightId: 2001 + i, namespace: 'test:' });
      await holds.hold('3C', 'traveller-1', 60_000);
      expect(await holds.release('3C', 'traveller-2')).toBe(false);
      expect(await holds.held()).toEqual({ '3C': 'traveller-1' });
      expect(await holds.release('3C', 'traveller-1')).toBe(true);
      expect(await holds.held()).toEqual({});
    }
  });

  it('keeps the holds of the newer way in one hash and the older way in a key per seat', async () => {
    const [newer, olderWay] = ways().map((way, i) => createSeatHolds(way.client, { flightId: 3001 + i }));
    await newer!.hold('1A', 'x', 60_000);
    await olderWay!.hold('1A', 'x', 60_000);
    expect(await valkey.exists(newer!.hashKey)).toBe(hasFieldExpiry ? 1 : 0);
    expect(await valkey.exists(olderWay!.holdKey('1A'))).toBe(1);
    expect(await valkey.pttl(olderWay!.holdKey('1A'))).toBeGreaterThan(55_000);
  });

  it('refuses a hold without a sensible time', async () => {
    const holds = createSeatHolds(valkey, { flightId: 4001 });
    await expect(holds.hold('1A', 'x', 0)).rejects.toThrow(/whole number above 0/);
  });
});
