// The database goes away (a proxy in front of it closes) or refuses the lab's login mid-workload:
// one clear error naming host, port and database, and no cache entry written for a read that failed.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, targetOf, type EngineKind, type LabConfig } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { LabError } from '../../src/errors';
import { createCacheAside } from '../../src/patterns';
import { clearLabKeys, connectValkeyUrl, listLabKeys, startPrivateValkey, type PrivateValkey } from '../../src/valkey';
import { testConfig } from '../support/lab';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

function through(config: LabConfig, kind: EngineKind, change: Partial<LabConfig['mysql']>): LabConfig {
  const target = { ...targetOf(config, kind), ...change };
  const where = `${target.host}:${target.port}/${target.database}`;
  return { ...config, [kind]: { ...target, where } };
}

describe('the database fails under a cache-aside workload', () => {
  let server: PrivateValkey;
  let valkey: Redis;

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-faults-db-')), removeDir: true });
    valkey = await connectValkeyUrl(server.url, { keyPrefix: 'faults:' });
  });
  afterAll(async () => {
    valkey?.disconnect();
    await server?.stop();
  });

  describe.each(ENGINE_KINDS)('%s', (kind) => {
    let proxy: TcpProxy;
    let sql: SqlEngine;
    let config: LabConfig;

    beforeAll(async () => {
      const base = testConfig();
      proxy = await startTcpProxy(targetOf(base, kind).port);
      config = through(base, kind, { port: proxy.port });
      sql = await connectSql(config, kind);
      await clearLabKeys(valkey);
    });
    afterAll(async () => {
      await sql?.close().catch(() => undefined);
      await proxy?.close();
    });

    it('goes down mid-workload: hits still answer, misses fail with host, port and database, nothing half-written', async () => {
      const cacheAside = createCacheAside(valkey);
      const read = (id: number) =>
        cacheAside(
          `db:${kind}:${id}`,
          300,
          async () => (await sql.query(kind === 'mysql' ? 'SELECT ? + 0 AS id' : 'SELECT $1::int AS id', [id])).rows,
        );

      for (let id = 0; id < 10; id += 1) expect((await read(id)).outcome).toBe('miss');
      await proxy.close();

      // Cached answers do not need the database.
      for (let id = 0; id < 10; id += 1) expect((await read(id)).outcome).toBe('hit');
      const database = targetOf(config, kind).database;
      let errors = 0;
      for (let id = 10; id < 20; id += 1) {
        const error = await read(id).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LabError);
        expect((error as LabError).where).toBe(`127.0.0.1:${proxy.port}/${database}`);
        expect((error as LabError).message).toMatch(/PostgreSQL|MariaDB\/MySQL/);
        errors += 1;
      }
      expect(errors).toBe(10);
      const keys = await listLabKeys(valkey, `db:${kind}:*`);
      expect(keys).toHaveLength(10);
      expect(keys.every((k) => Number(k.split(':').at(-1)) < 10)).toBe(true);

      // The server comes back: the pool reconnects by itself and misses fill the cache again.
      await proxy.reopen();
      let answered = false;
      for (let attempt = 0; attempt < 50 && !answered; attempt += 1) {
        answered = await read(10).then(
          (r) => r.outcome === 'miss',
          () => false,
        );
        if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(answered).toBe(true);
      expect(await valkey.exists(`db:${kind}:10`)).toBe(1);
    });
  });

  it.each([
    ['mysql', { password: 'not-the-lab-password' }],
    ['postgres', { user: 'no_such_lab_role' }],
  ] as const)(
    '%s refuses the login: the error names user, host, port and database; no entry written',
    async (kind, change) => {
      const config = through(testConfig(), kind, change);
      const target = targetOf(config, kind);
      const cacheAside = createCacheAside(valkey);
      const error = await cacheAside(`login:${kind}`, 300, async () => {
        const sql = await connectSql(config, kind);
        try {
          return (await sql.query('SELECT 1 AS one')).rows;
        } finally {
          await sql.close();
        }
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LabError);
      expect((error as LabError).message).toContain(`refused user "${target.user}"`);
      expect((error as LabError).where).toBe(`${target.host}:${target.port}/${target.database}`);
      expect((error as LabError).message).not.toContain('not-the-lab-password');
      expect(await valkey.exists(`login:${kind}`)).toBe(0);
    },
  );
});
