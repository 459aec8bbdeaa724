// Creates the lab databases and the least-privilege lab user on MariaDB/MySQL (set-up only, as an administrator).

import type { DbTarget } from '../../config';
import { mysqlDialect } from './mysql-dialect';
import type { MysqlEngine } from './mysql-engine';

/** What the lab user may do inside its own databases, and nothing outside them. */
const LAB_PRIVILEGES =
  'SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, REFERENCES, CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW';

/**
 * Idempotent: creates what is missing and (re)sets the lab user's password to the configured one,
 * so a fresh `.env` and an existing user never disagree.
 */
export async function provisionMysql(admin: MysqlEngine, lab: DbTarget, databases: readonly string[]): Promise<void> {
  const password = admin.pool.escape(lab.password ?? '');
  const user = admin.pool.escape(lab.user);
  // The lab user may connect from where this client connects from, as the server sees it (loopback
  // here; the bridge address when the server runs in a container), and from nowhere else.
  const { rows } = await admin.query<{ host: string }>("SELECT SUBSTRING_INDEX(USER(), '@', -1) AS host");
  const clientHost = rows[0]?.host ?? 'localhost';
  const loopback = ['localhost', '127.0.0.1', '::1'];
  const hosts = loopback.includes(clientHost) ? loopback : [clientHost];
  for (const database of databases) {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS ${mysqlDialect.quoteIdent(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  }
  for (const host of hosts) {
    const account = `${user}@${admin.pool.escape(host)}`;
    await admin.query(`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${password}`);
    await admin.query(`ALTER USER ${account} IDENTIFIED BY ${password}`);
    for (const database of databases) {
      await admin.query(`GRANT ${LAB_PRIVILEGES} ON ${mysqlDialect.quoteIdent(database)}.* TO ${account}`);
    }
  }
}
