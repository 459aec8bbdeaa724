// The database side of the lab: connect to the active engine, or to a named one.

import type { EngineKind, LabConfig } from '../config';
import type { SqlEngine } from './engine';
import { connectMysql } from './mysql/mysql-engine';
import { connectPostgres } from './postgres/postgres-engine';

export * from './engine';
export * from './explain';
export * from './indexes';
export { MysqlEngine } from './mysql/mysql-engine';
export { PostgresEngine } from './postgres/postgres-engine';

/** Connects as the lab user to the engine LAB_DB names (or to `engine`, when given). */
export async function connectSql(config: LabConfig, engine: EngineKind = config.engine): Promise<SqlEngine> {
  return engine === 'mysql' ? connectMysql(config.mysql) : connectPostgres(config.postgres);
}
export { mysqlDialect } from './mysql/mysql-dialect';
export { postgresDialect } from './postgres/postgres-dialect';
