// Bulk loading for PostgreSQL: COPY ... FROM STDIN fed from a stream of generated rows, one session per load.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BulkSession, TextChunk } from '../engine';
import { postgresDialect } from './postgres-dialect';

/** Memory a session may use to sort while building an index (the server default, 64MB, makes big builds spill). */
const INDEX_BUILD_MEMORY = '256MB';

function* encoded(chunks: Iterable<TextChunk>, onRows: (rows: number) => void): Generator<Buffer> {
  for (const chunk of chunks) {
    onRows(chunk.rows);
    yield Buffer.from(chunk.text, 'utf8');
  }
}

/** One dedicated PostgreSQL connection for DDL and COPY. */
export class PostgresBulkSession implements BulkSession {
  private destroyed = false;

  private constructor(private readonly client: pg.PoolClient) {}

  /** Takes a connection from the pool and prepares it: more sort memory for index builds, no waiting on WAL flushes. */
  static async open(pool: pg.Pool): Promise<PostgresBulkSession> {
    const client = await pool.connect();
    try {
      await client.query(`SET maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`);
      // Commits return before the WAL reaches disk; a crash can lose the last commits, which a reload redoes anyway.
      await client.query('SET synchronous_commit = off');
    } catch (error) {
      client.release(true);
      throw error;
    }
    return new PostgresBulkSession(client);
  }

  async exec(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.client.query(sql, params as unknown[]);
  }

  /**
   * Streams `chunks` into `table` with COPY FROM STDIN and returns the rows the server stored. pipeline()
   * waits for the socket to drain before pulling the next chunk; a failing generator aborts the COPY,
   * which then stores nothing.
   */
  async load(
    table: string,
    columns: readonly string[],
    chunks: Iterable<TextChunk>,
    onRows: (rows: number) => void = () => {},
  ): Promise<number> {
    const list = columns.map(postgresDialect.quoteIdent).join(', ');
    const copy = this.client.query(
      copyFrom(`COPY ${postgresDialect.quoteIdent(table)} (${list}) FROM STDIN (FORMAT text)`),
    );
    await pipeline(Readable.from(encoded(chunks, onRows), { objectMode: false }), copy);
    return copy.rowCount;
  }

  /**
   * A database-wide advisory lock, held by this session until `unlock` or until it disconnects.
   * Waits up to `waitSeconds`: a killed holder's lock is freed only once the server notices the disconnect.
   */
  async tryLock(name: string, waitSeconds = 0): Promise<boolean> {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const { rows } = await this.client.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [
        name,
      ]);
      if (rows[0]?.got === true) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async unlock(name: string): Promise<void> {
    await this.client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
  }

  /** Returns the connection to the pool, with the session settings undone. */
  async release(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    try {
      await this.client.query('RESET maintenance_work_mem; RESET synchronous_commit');
      this.client.release();
    } catch {
      this.client.release(true);
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.client.release(true);
  }
}
