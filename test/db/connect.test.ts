import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { LabError } from '../../src/errors';
import { freePort } from '../../src/valkey';
import { testConfig } from '../support/lab';

describe.each(ENGINE_KINDS)('the %s adapter', (kind: EngineKind) => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
  });
  afterAll(async () => engine?.close());

  it('tells which server answered, with its version', async () => {
    const info = await engine.serverInfo();
    expect(info.engine).toBe(kind);
    if (kind === 'mysql') {
      expect(['mariadb', 'mysql']).toContain(info.flavor);
      expect(info.label).toMatch(/^(MariaDB|MySQL) \d+\.\d+\.\d+$/);
    } else {
      expect(info.flavor).toBe('postgresql');
      expect(info.label).toMatch(/^PostgreSQL \d+(\.\d+)?$/);
    }
    expect(info.where).toMatch(/_test$/);
  });

  it('binds parameters instead of splicing them into the SQL', async () => {
    const hostile = "O'Hare'); DROP TABLE airport; --";
    const sql = kind === 'mysql' ? 'SELECT ? AS v' : 'SELECT $1::text AS v';
    const { rows, elapsedMs } = await engine.query<{ v: string }>(sql, [hostile]);
    expect(rows).toEqual([{ v: hostile }]);
    expect(elapsedMs).toBeGreaterThan(0);
  });

  it('returns rows in the same shape on both engines: timestamps as text, counts and decimals as numbers', async () => {
    const sql =
      kind === 'mysql'
        ? "SELECT CAST('2025-12-15 08:00:00' AS DATETIME) AS departure, CAST(449.5 AS DECIMAL(10,2)) AS price, COUNT(*) AS n FROM (SELECT 1 AS x UNION ALL SELECT 2) t"
        : "SELECT CAST('2025-12-15 08:00:00' AS timestamp) AS departure, CAST(449.5 AS numeric(10,2)) AS price, COUNT(*) AS n FROM (SELECT 1 AS x UNION ALL SELECT 2) t";
    const { rows } = await engine.query(sql);
    expect(rows).toEqual([{ departure: '2025-12-15 08:00:00', price: 449.5, n: 2 }]);
  });
});

describe('bad database settings give one clear line', () => {
  it('a wrong MariaDB/MySQL password names the user, the place and the fix', async () => {
    const config = testConfig();
    const wrong = { ...config, mysql: { ...config.mysql, password: 'definitely-wrong' } };
    const attempt = connectSql(wrong, 'mysql');
    await expect(attempt).rejects.toBeInstanceOf(LabError);
    await expect(attempt).rejects.toThrow(
      `MariaDB/MySQL refused user "flughafen_user" (ER_ACCESS_DENIED_ERROR: wrong password or no such user) at ` +
        `127.0.0.1:3306/${config.mysql.database}. Run \`npm run setup\`: it creates the lab user, or gives this clone ` +
        'the password every clone of the lab on this machine shares. Or fix the user and password in MYSQL_URL / LAB_DB_PASSWORD.',
    );
  });

  it('an unknown PostgreSQL user is refused the same way', async () => {
    const config = testConfig();
    const target = { ...config.postgres, user: 'nobody_here' };
    await expect(connectSql({ ...config, postgres: target }, 'postgres')).rejects.toThrow(
      /^PostgreSQL refused user "nobody_here" \(28000: wrong password or no such user\) at 127\.0\.0\.1:5432\/flughafendb_test\./,
    );
  });

  it('a missing database says to run set-up', async () => {
    const config = testConfig();
    const target = { ...config.postgres, database: 'no_such_db', where: '127.0.0.1:5432/no_such_db' };
    await expect(connectSql({ ...config, postgres: target }, 'postgres')).rejects.toThrow(
      /^PostgreSQL has no database "no_such_db" \(3D000\) at 127\.0\.0\.1:5432\. Run `npm run setup` to create it/,
    );
  });

  it.each(ENGINE_KINDS)('a %s server that is down: cannot reach, where, and what to do', async (kind) => {
    const port = await freePort();
    const config = testConfig();
    const target = { ...(kind === 'mysql' ? config.mysql : config.postgres), port };
    const broken = kind === 'mysql' ? { ...config, mysql: target } : { ...config, postgres: target };
    const server = kind === 'mysql' ? 'MariaDB/MySQL' : 'PostgreSQL';
    const variable = kind === 'mysql' ? 'MYSQL_URL' : 'PG_URL';
    await expect(connectSql(broken, kind)).rejects.toThrow(
      `Cannot reach ${server} (ECONNREFUSED) at 127.0.0.1:${port}. Start the server, or point ${variable} at a running one.`,
    );
  });
});
