// Creates the lab databases and the least-privilege lab user on PostgreSQL (set-up only, as an administrator).

import pg from 'pg';
import type { DbTarget } from '../../config';
import { postgresDialect } from './postgres-dialect';
import type { PostgresEngine } from './postgres-engine';

/**
 * Idempotent: creates what is missing and (re)sets the lab role's password to the configured one.
 * The role owns the lab databases and nothing else: no superuser, no CREATEDB, no CREATEROLE.
 */
export async function provisionPostgres(
  admin: PostgresEngine,
  lab: DbTarget,
  databases: readonly string[],
): Promise<void> {
  const role = postgresDialect.quoteIdent(lab.user);
  const password = lab.password ? `PASSWORD ${pg.escapeLiteral(lab.password)}` : 'PASSWORD NULL';
  const { rows: roles } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [lab.user]);
  const verb = roles.length === 0 ? 'CREATE' : 'ALTER';
  await admin.query(`${verb} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ${password}`);
  for (const database of databases) {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // CREATE DATABASE has no IF NOT EXISTS and cannot run inside a transaction, hence the check first.
    if (rows.length === 0) await admin.query(`CREATE DATABASE ${postgresDialect.quoteIdent(database)} OWNER ${role}`);
  }
}
