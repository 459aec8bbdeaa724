// Set-up's database step: as an administrator, create the lab databases and the lab user on one engine.

import type { EngineKind, LabConfig } from '../config';
import { connectMysql } from './mysql/mysql-engine';
import { provisionMysql } from './mysql/mysql-provision';
import { connectPostgres } from './postgres/postgres-engine';
import { provisionPostgres } from './postgres/postgres-provision';

/** The database the tests use, beside the notebooks' one, so tests never touch the notebooks' data. */
export function testDatabaseName(database: string): string {
  return `${database}_test`;
}

/** Creates (idempotently) the lab database, its test twin and the lab user on `engine`. */
export async function provisionLabDatabase(config: LabConfig, engine: EngineKind): Promise<string[]> {
  const lab = engine === 'mysql' ? config.mysql : config.postgres;
  const databases = [lab.database, testDatabaseName(lab.database)];
  if (engine === 'mysql') {
    const admin = await connectMysql(config.mysqlAdmin, 'MYSQL_ADMIN_URL');
    try {
      await provisionMysql(admin, lab, databases);
    } finally {
      await admin.close();
    }
  } else {
    const admin = await connectPostgres(config.postgresAdmin, 'PG_ADMIN_URL');
    try {
      await provisionPostgres(admin, lab, databases);
    } finally {
      await admin.close();
    }
  }
  return databases;
}
