import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { LabError } from '../../src/errors';
import {
  cacheKey,
  captureCommands,
  clearLabKeys,
  connectValkey,
  connectValkeyUrl,
  ensureManagedValkey,
  freePort,
  hitRate,
  inspectKey,
  listLabKeys,
  parseInfo,
  readInfo,
  startPrivateValkey,
  storedKey,
  sumInfo,
  valkeyServerBinary,
  valkeyServerInfo,
  type PrivateValkey,
} from '../../src/valkey';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('INFO parsing', () => {
  it('turns sections into typed fields: numbers as numbers, text as text, keyspace as counts', () => {
    const info = parseInfo(
      '# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\ntcp_port:6379\r\n\r\n' +
        '# Stats\r\nkeyspace_hits:30\r\nkeyspace_misses:10\r\n\r\n# Memory\r\nused_memory_human:1.02M\r\nmem_fragmentation_ratio:1.5\r\n\r\n' +
        '# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=2500\r\n',
    );
    expect(info.server).toMatchObject({ server_name: 'valkey', valkey_version: '8.0.1', tcp_port: 6379 });
    expect(info.memory).toEqual({ used_memory_human: '1.02M', mem_fragmentation_ratio: 1.5 });
    expect(info.keyspace).toEqual({ db0: { keys: 3, expires: 1, avg_ttl: 2500 } });
    expect(hitRate(info.stats)).toBe(0.75);
    expect(hitRate({})).toBeUndefined();
  });

  it("sums several nodes' counters, memory and keys, and keeps the rest from the first node", () => {
    const node = (hits: number, memory: number, keys: number) =>
      parseInfo(
        `# Server\r\nvalkey_version:8.0.1\r\nserver_mode:cluster\r\n# Stats\r\nkeyspace_hits:${hits}\r\nkeyspace_misses:1\r\n` +
          `evicted_keys:2\r\n# Memory\r\nused_memory:${memory}\r\nmaxmemory_policy:allkeys-lru\r\n# Keyspace\r\ndb0:keys=${keys},expires=1,avg_ttl=10\r\n`,
      );
    const summed = sumInfo([node(10, 1000, 3), node(20, 2000, 4), node(30, 3000, 5)]);
    expect(summed.stats).toMatchObject({ keyspace_hits: 60, keyspace_misses: 3, evicted_keys: 6 });
    expect(summed.memory).toMatchObject({ used_memory: 6000, maxmemory_policy: 'allkeys-lru' });
    expect(summed.keyspace.db0).toMatchObject({ keys: 12, expires: 3 });
    expect(summed.server).toMatchObject({ valkey_version: '8.0.1', server_mode: 'cluster' });
  });
});

describe('a private Valkey the lab starts', () => {
  let server: PrivateValkey;
  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-valkey-')), removeDir: true });
  });
  afterAll(async () => server?.stop());

  it('answers as Valkey, not Redis', async () => {
    const client = await connectValkeyUrl(server.url);
    const info = await valkeyServerInfo(client);
    client.disconnect();
    expect(info.flavor).toBe('valkey');
    expect(info.label).toMatch(/^Valkey \d+\.\d+\.\d+$/);
    expect(info.where).toBe(`127.0.0.1:${server.port}`);
  });

  it('keeps the lab in its namespace: cleanup removes prefixed keys and leaves every other key alone', async () => {
    const lab = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    const bystander = new Redis(server.url);
    await bystander.set('airport:JFK:name', 'someone else');
    await lab.set(cacheKey('airport', 'JFK', 'name'), 'John F Kennedy International');
    await lab.set(cacheKey('flight', 'search', 'JFK', 'LAX', '2025-12-15'), '[]');

    expect(await bystander.get('lab:airport:JFK:name')).toBe('John F Kennedy International');
    expect(await listLabKeys(lab)).toEqual(['airport:JFK:name', 'flight:search:JFK:LAX:2025-12-15']);
    expect(await clearLabKeys(lab, 'flight:*')).toBe(1);
    expect(await clearLabKeys(lab)).toBe(1);
    expect(await listLabKeys(lab)).toEqual([]);
    expect(await bystander.get('airport:JFK:name')).toBe('someone else');
    lab.disconnect();
    bystander.disconnect();
  });

  it("captures with MONITOR exactly the commands the lab client sent, not other clients', and stops cleanly", async () => {
    const lab = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    const bystander = new Redis(server.url);
    const capture = await captureCommands(lab);
    await lab.setex('airport:JFK:city', 300, 'New York');
    await bystander.get('someone:else');
    await lab.get('airport:JFK:city');
    const commands = await capture.stop();
    expect(commands.map((c) => [c.command, ...c.args])).toEqual([
      ['SETEX', 'lab:airport:JFK:city', '300', 'New York'],
      ['GET', 'lab:airport:JFK:city'],
    ]);
    expect(commands[1]!.at).toBeGreaterThanOrEqual(0);
    expect(await lab.get('airport:JFK:city')).toBe('New York'); // the lab client itself is untouched
    await clearLabKeys(lab);
    lab.disconnect();
    bystander.disconnect();
  });

  it('inspects a prefixed key: type, encoding, memory and TTL of the stored key', async () => {
    const lab = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    await lab.set(
      'airport:country:Germany',
      JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ name: `Airport ${i}` }))),
      'EX',
      300,
    );
    await lab.set('airport:JFK:iata', 'JFK');
    const long = await inspectKey(lab, 'airport:country:Germany');
    const short = await inspectKey(lab, 'airport:JFK:iata');
    const missing = await inspectKey(lab, 'airport:nowhere');
    expect(long).toMatchObject({ type: 'string', encoding: 'raw' });
    expect(long.bytes).toBeGreaterThan(400);
    expect(long.ttlSeconds).toBeGreaterThan(290);
    expect(short).toMatchObject({ type: 'string', encoding: 'embstr', ttlSeconds: -1 });
    expect(missing).toEqual({
      key: 'airport:nowhere',
      type: 'none',
      encoding: null,
      bytes: null,
      ttlSeconds: -2,
      node: `127.0.0.1:${server.port}`,
    });
    expect(storedKey(lab, 'airport:JFK:iata')).toBe('lab:airport:JFK:iata');
    await clearLabKeys(lab);
    lab.disconnect();
  });

  it('refuses to "clean up" through a client without a prefix', async () => {
    const unprefixed = await connectValkeyUrl(server.url);
    await expect(clearLabKeys(unprefixed)).rejects.toThrow(/no key prefix/);
    unprefixed.disconnect();
  });

  it('reads hit and miss counts from INFO stats', async () => {
    const client = await connectValkeyUrl(server.url, { keyPrefix: 'lab:' });
    const before = (await readInfo(client, 'stats')).stats;
    await client.set('k', 'v');
    await client.get('k');
    await client.get('missing');
    const after = (await readInfo(client, 'stats')).stats;
    expect(Number(after.keyspace_hits) - Number(before.keyspace_hits)).toBe(1);
    expect(Number(after.keyspace_misses) - Number(before.keyspace_misses)).toBe(1);
    client.disconnect();
  });
});

describe('the Valkey set-up manages', () => {
  it('is started once, reused while alive, and never confused with a Redis on another port', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lab-managed-'));
    mkdirSync(path.join(root, '.lab'));
    // A record that points at the machine's Redis: alive, but not ours and not Valkey.
    const redis = new Redis(REDIS_URL);
    const redisPid = Number(parseInfo(await redis.info('server')).server.process_id);
    redis.disconnect();
    writeFileSync(
      path.join(root, '.lab', 'valkey.json'),
      JSON.stringify({ url: REDIS_URL, port: 6379, pid: redisPid, dir: '.lab/valkey' }),
    );

    const first = await ensureManagedValkey(root);
    try {
      expect(first.started).toBe(true);
      expect(first.valkey.port).not.toBe(6379);
      const second = await ensureManagedValkey(root);
      expect(second).toEqual({ valkey: first.valkey, started: false });
      const recorded = JSON.parse(readFileSync(path.join(root, '.lab', 'valkey.json'), 'utf8'));
      expect(recorded.url).toBe(first.valkey.url);

      const client = await connectValkey(loadConfig({ env: {}, root }));
      expect((await valkeyServerInfo(client)).flavor).toBe('valkey');
      expect(client.options.keyPrefix).toBe('lab:');
      client.disconnect();
    } finally {
      process.kill(first.valkey.pid, 'SIGTERM');
    }
  });

  it('tells Redis apart from Valkey', async () => {
    const client = await connectValkeyUrl(REDIS_URL);
    const info = await valkeyServerInfo(client);
    client.disconnect();
    expect(info.flavor).toBe('redis');
    expect(info.label).toMatch(/^Redis /);
  });
});

describe('bad Valkey settings give one clear line', () => {
  it('a server that is down: what, where, and how to fix', async () => {
    const port = await freePort();
    const attempt = connectValkeyUrl(`redis://127.0.0.1:${port}`);
    await expect(attempt).rejects.toBeInstanceOf(LabError);
    await expect(connectValkeyUrl(`redis://127.0.0.1:${port}`)).rejects.toThrow(
      `Cannot reach Valkey (ECONNREFUSED) at 127.0.0.1:${port}. Run \`npm run setup\` to start the lab's Valkey, or point VALKEY_URL at a running server.`,
    );
  });

  it('no Valkey configured at all', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lab-none-'));
    await expect(connectValkey(loadConfig({ env: {}, root }))).rejects.toThrow(
      /No Valkey is configured\. Run `npm run setup`/,
    );
  });

  it('no valkey-server binary to start one', () => {
    expect(() => valkeyServerBinary({ VALKEY_SERVER_BIN: 'valkey-server-that-does-not-exist' })).toThrow(
      /valkey-server-that-does-not-exist is not installed .* bookworm-backports/,
    );
  });
});
