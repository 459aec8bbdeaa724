import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNearCache, invalidationDelays, type NearCache } from '../../src/patterns';
import { connectValkeyUrl, startPrivateValkey, type PrivateValkey } from '../../src/valkey';

describe('near cache kept coherent by CLIENT TRACKING', () => {
  let server: PrivateValkey;
  let valkey: Redis;
  let other: Redis;
  let near: NearCache;

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-near-cache-')), removeDir: true });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    other = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    near = await createNearCache(valkey);
  });
  afterAll(async () => {
    near?.close();
    other?.disconnect();
    valkey?.disconnect();
    await server?.stop();
  });

  it('answers the second read from memory', async () => {
    await other.set('airport:{JFK}:name', 'John F Kennedy International');
    const first = await near.get('airport:{JFK}:name');
    const second = await near.get('airport:{JFK}:name');
    expect([first.outcome, second.outcome]).toEqual(['valkey-hit', 'near-hit']);
    expect(second.value).toBe('John F Kennedy International');
  });

  it('drops the near entry when another connection writes the key (prefix stripped from the message)', async () => {
    await other.set('airport:{LAX}:name', 'Los Angeles International');
    await near.get('airport:{LAX}:name');
    expect((await near.get('airport:{LAX}:name')).outcome).toBe('near-hit');
    const arrived = near.nextInvalidation('airport:{LAX}:name');
    await other.set('airport:{LAX}:name', 'LAX, renamed');
    await arrived;
    const after = await near.get('airport:{LAX}:name');
    expect(after.outcome).toBe('valkey-hit');
    expect(after.value).toBe('LAX, renamed');
    expect(await invalidationDelays(near, other, 'airport:{ORD}:name', 3)).toHaveLength(3);
  });

  it('empties itself and stops serving when the invalidation connection drops, until it is back', async () => {
    await other.set('airport:{DFW}:name', 'Dallas Fort Worth International');
    await near.get('airport:{DFW}:name');
    expect(near.size).toBeGreaterThan(0);
    const dropped = near.stats.emptiedOnDrop;
    await other.client('KILL', 'ID', String(near.invalidationClientId));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(near.size).toBe(0);
    expect(near.stats.emptiedOnDrop).toBe(dropped + 1);
    // A write while nobody listens: the near cache must not answer the old value afterwards.
    await other.set('airport:{DFW}:name', 'DFW, changed while disconnected');
    const during = await near.get('airport:{DFW}:name');
    expect(during.outcome).not.toBe('near-hit');
    expect(during.value).toBe('DFW, changed while disconnected');
    await near.whenServing();
    expect(near.serving).toBe(true);
    await near.get('airport:{DFW}:name');
    expect((await near.get('airport:{DFW}:name')).outcome).toBe('near-hit');
    const arrived = near.nextInvalidation('airport:{DFW}:name');
    await other.set('airport:{DFW}:name', 'DFW, changed after the reconnect');
    await arrived; // tracking redirects to the new invalidation connection
    expect((await near.get('airport:{DFW}:name')).value).toBe('DFW, changed after the reconnect');
  });
});
