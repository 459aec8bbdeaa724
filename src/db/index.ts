// The database side of the lab: the engine registry, the adapter interface, EXPLAIN and indexes.

import type { LabConfig } from '../config';
import type { SqlEngine } from './engine';
import { engineDefinition } from './engines';
import type { EngineKind } from './kinds';

export * from './ddl';
export * from './definition';
export * from './engine';
export * from './engines';
export * from './explain';
export * from './indexes';
export * from './kinds';
export type { NativeClient } from './native';
export { mysqlEngine, MysqlEngine } from './mysql';
export { postgresEngine, PostgresEngine } from './postgres';
export { mysqlDialect } from './mysql/mysql-dialect';
export { postgresDialect } from './postgres/postgres-dialect';

/** Connects as the lab user to the engine LAB_DB names (or to `engine`, when given). */
export async function connectSql(config: LabConfig, engine: EngineKind = config.engine): Promise<SqlEngine> {
  const definition = engineDefinition(engine);
  return definition.connect(config[engine], definition.urlVariable);
}
