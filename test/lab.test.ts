import { describe, expect, it } from 'vitest';
import { connectSql } from '../src/db';
import { LabError } from '../src/errors';
import { openLab } from '../src/lab';
import { freePort } from '../src/valkey';
import { testConfig } from './support/lab';

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
