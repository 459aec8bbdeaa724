// Versioned string entries on every release under test: SET … IFEQ where the server has it (Valkey 8.1 on), the
// one-script store where it has not; either way the newest version is what stays, however the writers race.

import type Redis from 'iovalkey';
import { expect, it } from 'vitest';
import { raceTwoWriters } from '../../src/experiments/write-through-race';
import {
  decodeVersionedEntry,
  encodeVersionedEntry,
  entryWriteThrough,
  pileUp,
  storeEntryIfNewer,
} from '../../src/patterns/versioned-entry';
import type { Versioned } from '../../src/patterns/write-through';
import { connectValkeyUrl, takeFallback, type PrivateValkey } from '../../src/valkey';
import { describeEachValkey } from '../support/valkey-builds';
import { usePrivateValkey } from '../support/valkey';

describeEachValkey('a versioned string entry', (release) => {
  let valkey: Redis;
  let server: PrivateValkey;
  usePrivateValkey(`entry-${release.line}`, (client, started) => ((valkey = client), (server = started)), {
    binary: release.server,
  });
  const hasIfEq = release.line !== '8.0';
  const airport = (version: number, name: string): Versioned<Record<string, string>> => ({ version, value: { name } });

  it('reads back what it stores, and nothing from a value that is not an entry', () => {
    expect(decodeVersionedEntry(encodeVersionedEntry(airport(7, 'Hartsfield: "ATL"')))).toEqual(
      airport(7, 'Hartsfield: "ATL"'),
    );
    expect(decodeVersionedEntry('not an entry')).toBeNull();
    expect(decodeVersionedEntry('3:{broken')).toBeNull();
    expect(decodeVersionedEntry(null)).toBeNull();
  });

  it('fills a missing entry with its TTL, replaces an older one, and keeps a newer one', async () => {
    const first = await storeEntryIfNewer(valkey, 'entry:atl', airport(2, 'two'), 60);
    expect(first).toMatchObject({ stored: true, path: hasIfEq ? 'command' : 'fallback' });
    expect(await valkey.ttl('entry:atl')).toBeGreaterThan(55);
    expect((await storeEntryIfNewer(valkey, 'entry:atl', airport(1, 'one'), 60)).stored).toBe(false);
    expect((await storeEntryIfNewer(valkey, 'entry:atl', airport(2, 'two again'), 60)).stored).toBe(false);
    expect((await storeEntryIfNewer(valkey, 'entry:atl', airport(3, 'three'), 60)).stored).toBe(true);
    expect(decodeVersionedEntry(await valkey.get('entry:atl'))).toEqual(airport(3, 'three'));
  });

  it('replaces an entry that is not one of ours', async () => {
    await valkey.set('entry:junk', 'garbage');
    expect((await storeEntryIfNewer(valkey, 'entry:junk', airport(1, 'one'), 60)).stored).toBe(true);
    expect(decodeVersionedEntry(await valkey.get('entry:junk'))).toEqual(airport(1, 'one'));
  });

  it('sends SET … IFEQ where the server has it, and the script where it has not', async () => {
    const store = await storeEntryIfNewer(valkey, 'entry:cmd', airport(1, 'one'), 60);
    expect(store.command).toBe(hasIfEq ? 'SET … IFEQ' : 'EVAL (store if newer)');
    await storeEntryIfNewer(valkey, 'entry:cmd', airport(2, 'two'), 60);
    const stats = await valkey.info('commandstats');
    expect(/^cmdstat_eval:/m.test(stats)).toBe(!hasIfEq); // a script's own SETs count as SET calls too
  });

  it('leaves the newest of 50 writers racing at once, either way', async () => {
    const scriptClient = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    try {
      await takeFallback(scriptClient, 'setIfEqual');
      for (const client of [valkey, scriptClient]) {
        const result = await pileUp(client, 'entry:pile', 50);
        expect(result.finalVersion).toBe(50);
        expect(result.stored + result.keptNewer).toBe(50);
        expect(result.attempts).toBeGreaterThanOrEqual(50);
      }
    } finally {
      scriptClient.disconnect();
    }
  });

  it('keeps the later commit when the earlier writer stores last', async () => {
    let dbVersion = 0;
    const write = () => async () => void (dbVersion += 1);
    const load = async () => airport(dbVersion, `name ${dbVersion}`);
    const race = await raceTwoWriters(entryWriteThrough(valkey, 'entry:race', 60), { a: write(), b: write() }, load);
    expect(race.a).toMatchObject({ stored: false, committed: { version: 1 } });
    expect(race.b).toMatchObject({ stored: true, committed: { version: 2 } });
    expect(decodeVersionedEntry(await valkey.get('entry:race'))?.version).toBe(2);
  });
});
