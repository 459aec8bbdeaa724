// Picks the engine's bulk path: LOAD DATA LOCAL INFILE on MariaDB/MySQL, COPY FROM STDIN on PostgreSQL.

import type { SqlEngine } from '../src/db/engine';
import { MysqlBulkSession } from '../src/db/mysql/mysql-bulk';
import { MysqlEngine } from '../src/db/mysql/mysql-engine';
import { PostgresBulkSession } from '../src/db/postgres/postgres-bulk';
import { PostgresEngine } from '../src/db/postgres/postgres-engine';
import type { Chunk } from './tsv';

/** What the loader needs from a dedicated connection; both engines' sessions have this shape. */
export interface BulkSession {
  exec(sql: string, params?: readonly unknown[]): Promise<void>;
  load(
    table: string,
    columns: readonly string[],
    chunks: Iterable<Chunk>,
    onRows?: (rows: number) => void,
  ): Promise<number>;
  tryLock(name: string, waitSeconds?: number): Promise<boolean>;
  unlock(name: string): Promise<void>;
  release(): Promise<void>;
  destroy(): void;
}

/** A dedicated bulk-loading connection from the engine's own pool. */
export async function openBulkSession(engine: SqlEngine): Promise<BulkSession> {
  if (engine instanceof MysqlEngine) return MysqlBulkSession.open(engine.pool);
  if (engine instanceof PostgresEngine) return PostgresBulkSession.open(engine.pool);
  throw new Error(`No bulk loader for the ${engine.kind} engine at ${engine.where}.`);
}
