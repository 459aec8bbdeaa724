// SqlEngine.transaction: one connection from BEGIN to COMMIT, everything or nothing, on both engines.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { testConfig } from '../support/lab';

const TABLE = 'lab_transaction_scratch';

describe.each(ENGINE_KINDS)('transactions on %s', (kind) => {
  let sql: SqlEngine;
  const count = async () => Number((await sql.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${TABLE}`)).rows[0]!.n);

  beforeAll(async () => {
    sql = await connectSql(testConfig(), kind);
    await sql.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await sql.query(`CREATE TABLE ${TABLE} (id INT PRIMARY KEY)`);
  });
  afterAll(async () => {
    await sql?.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await sql?.close();
  });

  it('commits what the work wrote, reads its own writes, and returns its value', async () => {
    const p = sql.dialect.param;
    const seen = await sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${TABLE} (id) VALUES (${p(1)})`, [1]);
      return (await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${TABLE}`)).rows[0]!.n;
    });
    expect(Number(seen)).toBe(1);
    expect(await count()).toBe(1);
  });

  it('rolls everything back when the work throws, and throws the error on', async () => {
    const p = sql.dialect.param;
    await expect(
      sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${TABLE} (id) VALUES (${p(1)})`, [2]);
        await tx.query(`INSERT INTO ${TABLE} (id) VALUES (${p(1)})`, [1]); // a duplicate key
      }),
    ).rejects.toSatisfy((error: unknown) => sql.dialect.isDuplicateKey(error));
    expect(await count()).toBe(1);
  });

  it('keeps uncommitted writes from other connections until the commit', async () => {
    const p = sql.dialect.param;
    await sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${TABLE} (id) VALUES (${p(1)})`, [3]);
      expect(await count()).toBe(1); // the pool's other connections do not see it yet
    });
    expect(await count()).toBe(2);
  });
});
