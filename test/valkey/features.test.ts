// Newer Valkey commands and their fallbacks, on every release under test: 8.0 takes the fallback, 9.1 the new
// command, and MONITOR or COMMANDSTATS shows which one the server received; the answers are the same.

import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { createLockedRead } from '../../src/patterns';
import {
  adminCommand,
  captureCommands,
  deleteIfEqual,
  detectFeatures,
  expireFields,
  featuresOf,
  featureTable,
  fieldDeadlinesKey,
  fieldTtls,
  keyForUnknownCommand,
  readAllFields,
  readCommandLog,
  readFields,
  readFieldsAndRefresh,
  setFieldsWithTtl,
  setIfEqual,
  valkeyAtLeast,
  type CacheServerInfo,
  type MonitoredCommand,
  type PrivateValkey,
} from '../../src/valkey';
import { describeEachValkey } from '../support/valkey-builds';
import { usePrivateValkey } from '../support/valkey';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The command names the client sent while `work` ran, as the server's MONITOR saw them (detection left out). */
async function commandsSent(valkey: Redis, work: () => Promise<unknown>): Promise<string[]> {
  await detectFeatures(valkey);
  const capture = await captureCommands(valkey);
  let seen: MonitoredCommand[] = [];
  try {
    await work();
  } finally {
    seen = await capture.stop();
  }
  return [...new Set(seen.map((c) => c.command))];
}

/** Calls of a command (`slowlog|get`) since the last CONFIG RESETSTAT, from INFO commandstats. */
async function callsOf(valkey: Redis, command: string): Promise<number> {
  const stats = await valkey.info('commandstats');
  return Number(new RegExp(`^cmdstat_${command.replace('|', '\\|')}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

/** Waits up to `ms` until `done` holds (a server's active expiry works in the background). */
async function eventually(done: () => Promise<boolean>, ms = 2_000): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) if (await done()) return true;
  return done();
}

describe('which newer commands a server has', () => {
  const server = (flavor: 'valkey' | 'redis', version: string): CacheServerInfo => ({
    flavor,
    version,
    label: `${flavor} ${version}`,
    mode: 'standalone',
    where: '127.0.0.1:6379',
  });
  const all = new Set([
    'DELIFEQ',
    'HSETEX',
    'HGETEX',
    'HPEXPIRE',
    'HPTTL',
    'COMMANDLOG',
    'CLUSTER|MIGRATESLOTS',
    'CLUSTER|GETSLOTMIGRATIONS',
  ]);

  it('compares releases by major and minor', () => {
    expect(valkeyAtLeast('8.0.1', '8.1')).toBe(false);
    expect(valkeyAtLeast('8.1.0', '8.1')).toBe(true);
    expect(valkeyAtLeast('9.0.3', '8.1')).toBe(true);
    expect(valkeyAtLeast('10.0.0', '9.0')).toBe(true);
    expect(valkeyAtLeast('8.10.0', '8.9')).toBe(true);
  });

  it('credits a command only where COMMAND INFO knows it, and SET … IFEQ from Valkey 8.1 on', () => {
    expect(featuresOf(server('valkey', '8.0.1'), new Set()).has).toEqual({
      setIfEqual: false,
      deleteIfEqual: false,
      hashFieldExpiry: false,
      commandLog: false,
      atomicSlotMigration: false,
    });
    expect(featuresOf(server('valkey', '8.1.1'), new Set(['COMMANDLOG'])).has).toMatchObject({
      setIfEqual: true,
      commandLog: true,
      deleteIfEqual: false,
    });
    expect(Object.values(featuresOf(server('valkey', '9.1.2'), all).has).every(Boolean)).toBe(true);
    // A hash-expiry command missing (renamed away, say) means the fallback, not half of the new way.
    const partial = new Set([...all].filter((c) => c !== 'HPTTL'));
    expect(featuresOf(server('valkey', '9.1.2'), partial).has.hashFieldExpiry).toBe(false);
  });

  it('gives Redis none of them, whatever its version says', () => {
    expect(Object.values(featuresOf(server('redis', '9.0.0'), all).has).some(Boolean)).toBe(false);
  });

  it("adds the key prefix itself to a command the client's command table does not know", () => {
    const client = { options: { keyPrefix: 'lab:' } } as unknown as Redis;
    expect(keyForUnknownCommand(client, 'delifeq', 'hot:lock')).toBe('lab:hot:lock');
    expect(keyForUnknownCommand(client, 'get', 'hot:lock')).toBe('hot:lock'); // known: the client prefixes it
    expect(keyForUnknownCommand({ options: {} } as unknown as Redis, 'delifeq', 'hot:lock')).toBe('hot:lock');
  });

  it('keeps the deadlines of a hash in its hash slot', () => {
    const client = { options: { keyPrefix: 'lab:' } } as unknown as Redis;
    expect(fieldDeadlinesKey(client, 'seats:hold')).toBe('{lab:seats:hold}:field-deadlines');
    expect(fieldDeadlinesKey(client, 'flight:{1001}:holds')).toBe('flight:{1001}:holds:field-deadlines');
  });
});

describeEachValkey('newer commands and their fallbacks', (release) => {
  let valkey: Redis;
  let server: PrivateValkey;
  usePrivateValkey(
    `features-${release.line}`,
    (client, started) => {
      valkey = client;
      server = started;
    },
    { binary: release.server },
  );
  const since = (version: string) => valkeyAtLeast(release.version, version);

  it('detects what this release has, once per client', async () => {
    const features = await detectFeatures(valkey);
    expect(features.server.version).toBe(release.version);
    expect(features.has).toEqual({
      setIfEqual: since('8.1'),
      deleteIfEqual: since('9.0'),
      hashFieldExpiry: since('9.0'),
      commandLog: since('8.1'),
      atomicSlotMigration: since('9.0'),
    });
    expect(await detectFeatures(valkey)).toBe(features);
    const rows = featureTable(features);
    expect(rows.find((r) => r.feature === 'DELIFEQ')!['this server runs']).toBe(
      since('9.0') ? 'DELIFEQ' : 'fallback: Lua compare-and-delete (EVAL)',
    );
  });

  it('SET … IFEQ replaces a value only while it is the one expected, and keeps a missing key missing', async () => {
    await valkey.set('booking:version', '1');
    let outcome: Awaited<ReturnType<typeof setIfEqual>> | undefined;
    const sent = await commandsSent(valkey, async () => {
      outcome = await setIfEqual(valkey, 'booking:version', '1', '2', { ttlMs: 60_000 });
    });
    expect(outcome).toMatchObject({ done: true, path: since('8.1') ? 'command' : 'fallback' });
    expect(sent).toEqual([since('8.1') ? 'SET' : 'EVAL']);
    expect(await valkey.get('booking:version')).toBe('2');
    expect(await valkey.pttl('booking:version')).toBeGreaterThan(50_000);
    expect((await setIfEqual(valkey, 'booking:version', '1', '3')).done).toBe(false); // another writer was first
    expect(await valkey.get('booking:version')).toBe('2');
    expect((await setIfEqual(valkey, 'booking:missing', '1', '2')).done).toBe(false);
    expect(await valkey.exists('booking:missing')).toBe(0);
  });

  it('DELIFEQ deletes a key only while it holds the value expected', async () => {
    await valkey.set('hot:lock', 'token-a');
    let kept: Awaited<ReturnType<typeof deleteIfEqual>> | undefined;
    const sent = await commandsSent(valkey, async () => {
      kept = await deleteIfEqual(valkey, 'hot:lock', 'token-b');
      await deleteIfEqual(valkey, 'hot:lock', 'token-a');
    });
    expect(kept).toMatchObject({ done: false, path: since('9.0') ? 'command' : 'fallback' });
    expect(sent).toEqual([since('9.0') ? 'DELIFEQ' : 'EVAL']);
    expect(await valkey.exists('hot:lock')).toBe(0);
  });

  it('the stampede lock releases with DELIFEQ where the server has it, and with the script elsewhere', async () => {
    const strategy = createLockedRead(valkey, { ttlMs: 60_000 });
    const sent = await commandsSent(valkey, () => strategy.read('hot:value', async () => ({ answer: 42 })));
    expect(await strategy.release()).toBe(since('9.0') ? 'delifeq' : 'lua');
    expect(sent).toContain(since('9.0') ? 'DELIFEQ' : 'EVAL');
    expect(sent).not.toContain(since('9.0') ? 'EVAL' : 'DELIFEQ');
    expect(await valkey.exists('hot:value:lock')).toBe(0);
  });

  it('hash fields expire on their own time, read, refreshed and listed the same way on either path', async () => {
    const native = since('9.0');
    const sent = await commandsSent(valkey, async () => {
      expect((await setFieldsWithTtl(valkey, 'seats:hold', { '12A': 'passenger-1' }, 300)).path).toBe(
        native ? 'command' : 'fallback',
      );
      await setFieldsWithTtl(valkey, 'seats:hold', { '12B': 'passenger-2' }, 60_000);
      const [short, long] = (await fieldTtls(valkey, 'seats:hold', ['12A', '12B'])).value;
      expect(short).toBeGreaterThan(0);
      expect(short).toBeLessThanOrEqual(300);
      expect(long).toBeGreaterThan(50_000);
      expect((await readFields(valkey, 'seats:hold', ['12A', '12B', '12C'])).value).toEqual([
        'passenger-1',
        'passenger-2',
        null,
      ]);
      await sleep(450);
      expect((await readAllFields(valkey, 'seats:hold')).value).toEqual({ '12B': 'passenger-2' });
      expect((await fieldTtls(valkey, 'seats:hold', ['12A', '12B'])).value[0]).toBe(-2);
      expect((await expireFields(valkey, 'seats:hold', ['12B', '12C'], 5_000)).value).toEqual([1, -2]);
      const refreshed = await readFieldsAndRefresh(valkey, 'seats:hold', ['12B'], 120_000);
      expect(refreshed.value).toEqual(['passenger-2']);
      expect((await fieldTtls(valkey, 'seats:hold', ['12B'])).value[0]).toBeGreaterThan(110_000);
    });
    const newCommands = ['HSETEX', 'HPTTL', 'HMGET', 'HGETALL', 'HPEXPIRE', 'HGETEX'];
    expect(sent.sort()).toEqual(native ? [...newCommands].sort() : ['EVAL']);
  });

  it('what the fallback cannot do: a plain HGETALL sees a field past its deadline until the helpers read the hash', async () => {
    await valkey.hset('session:abc', 'user', '12345'); // a field without deadline keeps the hash
    await setFieldsWithTtl(valkey, 'session:abc', { csrf: 'token' }, 100);
    await sleep(250);
    const plain = await valkey.hgetall('session:abc');
    if (since('9.0')) expect(plain).toEqual({ user: '12345' });
    else expect(plain).toEqual({ user: '12345', csrf: 'token' });
    expect((await readAllFields(valkey, 'session:abc')).value).toEqual({ user: '12345' });
    expect(await valkey.hgetall('session:abc')).toEqual({ user: '12345' });
  });

  it('a hash whose every field expired goes away by itself, with the fallback’s deadlines', async () => {
    await setFieldsWithTtl(valkey, 'seats:gone', { '1A': 'x', '1B': 'y' }, 150);
    const keys = ['seats:gone', fieldDeadlinesKey(valkey, 'seats:gone')];
    expect(await eventually(async () => (await valkey.exists(...keys)) === 0)).toBe(true);
  });

  it('COMMANDLOG logs a large request; SLOWLOG, the fallback, logs slow commands only', async () => {
    const native = since('8.1');
    if (native) await adminCommand(valkey, 'CONFIG', 'SET', 'commandlog-request-larger-than', '1024');
    await adminCommand(valkey, 'CONFIG', 'RESETSTAT');
    await valkey.set('report:large', 'x'.repeat(4096));
    const large = await readCommandLog(valkey, 'large-request', 10);
    expect(large).toMatchObject({
      path: native ? 'command' : 'fallback',
      complete: native,
      command: native ? 'COMMANDLOG GET 10 large-request' : 'SLOWLOG GET 10',
    });
    const logged = large.entries.find((e) => e.command[0]?.toUpperCase() === 'SET');
    if (native) expect(logged).toMatchObject({ unit: 'bytes', node: `127.0.0.1:${server.port}` });
    if (native) expect(logged!.value).toBeGreaterThan(4096);
    else expect(logged).toBeUndefined(); // it ran fast, so SLOWLOG never saw it
    expect(await callsOf(valkey, native ? 'commandlog|get' : 'slowlog|get')).toBe(1);
    expect(await callsOf(valkey, native ? 'slowlog|get' : 'commandlog|get')).toBe(0);
  });
});
