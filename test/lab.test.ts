import { spawn } from 'node:child_process';
import path from 'node:path';
import Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { connectSql } from '../src/db';
import { LabError } from '../src/errors';
import { openLab } from '../src/lab';
import { adminCommand, connectValkeyUrl, freePort, isAlive, reapOrphans, readInfo } from '../src/valkey';
import { testConfig } from './support/lab';

const REDIS_URL = 'redis://127.0.0.1:6379';

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return condition();
}

/** CLIENT LIST of a server as `{ id, cmd }` rows. */
async function clientList(client: Redis): Promise<Array<{ id: string; cmd: string }>> {
  const text = String(await client.call('CLIENT', 'LIST'));
  return text
    .trim()
    .split('\n')
    .map((line) => ({ id: /\bid=(\d+)/.exec(line)![1]!, cmd: /\bcmd=(\S+)/.exec(line)![1]! }));
}
describe('openLab', () => {
  it.each(['mysql', 'postgres'] as const)(
    'connects a notebook to %s and to Valkey, and says which servers answered',
    async (engine) => {
      const lab = await openLab({ engine, config: testConfig() });
      const valkeyClosed = new Promise((resolve) => lab.valkey.once('end', resolve));
      try {
        expect(lab.sql.kind).toBe(engine);
        expect(lab.sqlServer.where).toMatch(/_test$/);
        expect(lab.cacheServer.flavor).toBe('valkey');
        expect(lab.valkey.options.keyPrefix).toBe(lab.config.valkey.keyPrefix);
        expect(await lab.valkey.ping()).toBe('PONG');
        expect((await lab.sql.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await lab.close();
      }
      await valkeyClosed;
      await expect(lab.sql.query('SELECT 1')).rejects.toThrow(); // the pool is closed too
    },
  );

  it('fails with the Valkey error, and leaves no database connection open, when Valkey is down', async () => {
    const config = testConfig({ VALKEY_URL: `redis://127.0.0.1:${await freePort()}` });
    const observer = await connectSql(config, 'mysql');
    // The lab user's own sessions are visible to it without the PROCESS privilege.
    const sessions = async () =>
      Number(
        (await observer.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.processlist')).rows[0]!.n,
      );
    const before = await sessions();
    await expect(openLab({ engine: 'mysql', config })).rejects.toThrow(LabError);
    await expect(openLab({ engine: 'mysql', config })).rejects.toThrow(/^Cannot reach Valkey \(ECONNREFUSED\)/);
    expect(await sessions()).toBe(before);
    await observer.close();
  });
});

describe('what the lab starts, it owns', () => {
  it('gives a private Valkey with the settings asked for, where CONFIG SET and FLUSHALL are allowed', async () => {
    const lab = await openLab({ engine: 'mysql', config: testConfig() });
    try {
      const server = await lab.privateValkey({ maxmemory: '2mb', policy: 'allkeys-lru' });
      const memory = (await readInfo(server.client, 'memory')).memory;
      expect(memory).toMatchObject({ maxmemory: 2 * 1024 * 1024, maxmemory_policy: 'allkeys-lru' });
      expect(server.client.options.keyPrefix).toBe(lab.config.valkey.keyPrefix);
      await server.client.set('airport:JFK:name', 'x');
      expect(await adminCommand(server.client, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu')).toEqual(['OK']);
      expect(await adminCommand(server.client, 'FLUSHALL')).toEqual(['OK']);
      expect(await server.client.dbsize()).toBe(0);
    } finally {
      await lab.close();
    }
  });

  it("refuses CONFIG SET, FLUSHALL, FLUSHDB and DEBUG on the learner's Valkey and on any server it did not start", async () => {
    const lab = await openLab({ engine: 'mysql', config: testConfig() });
    try {
      await lab.valkey.set('guard:probe', 'still here');
      for (const command of [
        ['CONFIG', 'SET', 'maxmemory', '1mb'],
        ['FLUSHALL'],
        ['FLUSHDB'],
        ['DEBUG', 'SLEEP', '0'],
      ]) {
        const [name, ...args] = command as [string, ...string[]];
        await expect(adminCommand(lab.valkey, name, ...args)).rejects.toThrow(LabError);
        await expect(adminCommand(lab.valkey, name, ...args)).rejects.toThrow(
          /^The lab sends .* only to servers it started itself, and this Valkey is not one at 127\.0\.0\.1:\d+\./,
        );
      }
      expect(await lab.valkey.get('guard:probe')).toBe('still here');
      expect((await readInfo(lab.valkey, 'memory')).memory.maxmemory).not.toBe(1024 * 1024);
      await lab.valkey.del('guard:probe');
      // The machine's Redis, when there is one, is refused the same way.
      const redis = await connectValkeyUrl(REDIS_URL).catch(() => undefined);
      if (redis) {
        await expect(adminCommand(redis, 'FLUSHALL')).rejects.toThrow(/only to servers it started itself/);
        redis.disconnect();
      }
    } finally {
      await lab.close();
    }
  });

  it('ends on close() every server, cluster, worker, capture and connection it started, also ones already ended', async () => {
    const config = testConfig();
    const observer = await connectValkeyUrl(config.valkey.url!);
    const before = new Set((await clientList(observer)).map((c) => c.id));
    const lab = await openLab({ engine: 'mysql', config });
    const first = await lab.privateValkey();
    const second = await lab.privateValkey({ policy: 'allkeys-lfu' });
    await second.stop(); // already ended before close()
    const cluster = await lab.localCluster();
    expect(cluster.nodes).toHaveLength(3);
    await cluster.client.set('flight:{1001}:seats', '1');
    const extra = await lab.connection();
    const capture = await lab.monitor();
    await lab.valkey.get('airport:JFK:name');
    const worker = lab.startWorker('test/fixtures/lab/worker.ts', ['a', 'b'], { env: { WORKER_NAME: 'w1' } });
    const quitter = lab.startWorker('test/fixtures/lab/worker.ts', ['--exit']);
    expect(await quitter.wait()).toEqual({ code: 3, signal: null });
    expect(await until(() => worker.lines.length > 0)).toBe(true);
    expect(worker.lines[0]).toBe('ready a b w1');
    const ours = (await clientList(observer)).filter((c) => !before.has(c.id));
    expect(ours.some((c) => c.cmd === 'monitor')).toBe(true);
    expect(ours.length).toBeGreaterThanOrEqual(3); // lab.valkey, the extra connection, the capture
    expect(await extra.ping()).toBe('PONG');

    const pids = [first.pid, second.pid, ...cluster.nodes.map((n) => n.pid), worker.pid];
    await lab.close();
    await worker.exited;
    expect(await until(() => pids.every((pid) => !isAlive(pid)))).toBe(true);
    const left = new Set((await clientList(observer)).map((c) => c.id));
    expect(ours.filter((c) => left.has(c.id))).toEqual([]); // close() waits until each connection has ended
    expect(capture.commands.map((c) => c.command)).toEqual(['GET']);
    observer.disconnect();
  }, 60_000);

  it('after its owner is killed with SIGKILL, reapOrphans() ends the server and the worker it left behind', async () => {
    const root = path.resolve(__dirname, '..');
    const owner = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['test/fixtures/lab/owner.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ owner: number; server: number; worker: number }>((resolve, reject) => {
      owner.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString('utf8'))));
      owner.once('exit', (code) => reject(new Error(`the owner exited early (${code})`)));
    });
    // A hard kill of the process that opened the lab (tsx runs the script in a node process of its own).
    process.kill(started.owner, 'SIGKILL');
    expect(await until(() => !isAlive(started.owner))).toBe(true);
    expect(isAlive(started.server)).toBe(true); // no handler ran: the server is an orphan now
    const reaped = reapOrphans(root);
    expect(reaped.map((r) => r.pid).sort()).toEqual([started.server, started.worker].sort());
    expect(await until(() => !isAlive(started.server) && !isAlive(started.worker))).toBe(true);
    expect(reapOrphans(root)).toEqual([]);
  }, 30_000);
});
