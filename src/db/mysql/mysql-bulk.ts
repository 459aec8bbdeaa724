// Bulk loading for MariaDB/MySQL: LOAD DATA LOCAL INFILE fed from a stream of generated rows, one session per load.

import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import { LabError, errorCode } from '../../errors';
import type { BulkSession, TextChunk } from '../engine';
import { mysqlDialect } from './mysql-dialect';

/** What MySQL (3948) and MariaDB (1148) answer when local_infile is off on the server. */
const LOCAL_INFILE_REFUSED = new Set(['ER_CLIENT_LOCAL_FILES_DISABLED', 'ER_NOT_ALLOWED_COMMAND', '3948', '1148']);

/** Bytes the socket may hold unsent before the stream stops generating (mysql2 itself does not wait). */
const SOCKET_HIGH_WATER = 4 * 1024 * 1024;

/**
 * A stream that generates the next chunk only when the connection's socket has room for it.
 * mysql2 pipes a LOCAL INFILE stream into the socket without heeding `write()`'s return value, so a fast
 * generator would otherwise buffer the whole table in memory.
 */
function socketPacedStream(chunks: Iterable<TextChunk>, socket: Socket, onRows: (rows: number) => void): Readable {
  const iterator = chunks[Symbol.iterator]();
  return new Readable({
    read() {
      const pump = () => {
        if (socket.destroyed) return;
        if (socket.writableLength > SOCKET_HIGH_WATER) {
          socket.once('drain', pump);
          return;
        }
        try {
          const next = iterator.next();
          if (next.done) {
            this.push(null);
            return;
          }
          onRows(next.value.rows);
          this.push(Buffer.from(next.value.text, 'utf8'));
        } catch (error) {
          // mysql2 then ends the upload early and the query fails with this error.
          this.destroy(error as Error);
        }
      };
      pump();
    },
  });
}

/** One dedicated MariaDB/MySQL connection for DDL and LOAD DATA, with the session settings a bulk load needs. */
export class MysqlBulkSession implements BulkSession {
  private destroyed = false;

  private constructor(private readonly connection: mysql.PoolConnection) {}

  /** Takes a connection from the pool and prepares it: no foreign-key checks while tables are filled, strict values, UTC. */
  static async open(pool: mysql.Pool): Promise<MysqlBulkSession> {
    const connection = await pool.getConnection();
    try {
      await connection.query(
        "SET SESSION foreign_key_checks = 0, sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00'",
      );
    } catch (error) {
      connection.release();
      throw error;
    }
    return new MysqlBulkSession(connection);
  }

  /** Runs one statement on this session (DDL, ALTER, ANALYZE...). */
  async exec(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.connection.query(sql, params as unknown[]);
  }

  /**
   * Streams `chunks` into `table` with LOAD DATA LOCAL INFILE and returns the rows the server stored.
   * LOCAL turns errors into warnings and skips duplicate keys, so any warning or a short count is an error here.
   */
  async load(
    table: string,
    columns: readonly string[],
    chunks: Iterable<TextChunk>,
    onRows: (rows: number) => void = () => {},
  ): Promise<number> {
    const list = columns.map(mysqlDialect.quoteIdent).join(', ');
    const sql =
      `LOAD DATA LOCAL INFILE 'generated-rows' INTO TABLE ${mysqlDialect.quoteIdent(table)} CHARACTER SET utf8mb4 ` +
      `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${list})`;
    // The core connection under the promise wrapper owns the socket the rows travel through.
    const socket = (this.connection as unknown as { connection: { stream: Socket } }).connection.stream;
    let sent = 0;
    let result: unknown;
    try {
      [result] = await this.connection.query({
        sql,
        infileStreamFactory: () =>
          socketPacedStream(chunks, socket, (rows) => {
            sent += rows;
            onRows(rows);
          }),
      });
    } catch (error) {
      if (LOCAL_INFILE_REFUSED.has(errorCode(error) ?? '')) {
        throw new LabError({
          what: `The server refuses LOAD DATA LOCAL INFILE (${errorCode(error)}: local_infile is off)`,
          where: `${this.connection.config.host}:${this.connection.config.port}`,
          fix: 'Turn it on as an administrator (SET GLOBAL local_infile = ON) or start the server with --local-infile=1.',
          cause: error,
        });
      }
      throw error;
    }
    const header = result as mysql.ResultSetHeader;
    if (header.warningStatus > 0) {
      const [warnings] = await this.connection.query('SHOW WARNINGS LIMIT 3');
      const text = (warnings as { Message: string }[]).map((w) => w.Message).join('; ');
      throw new Error(`LOAD DATA into ${table} gave ${header.warningStatus} warning(s): ${text}`);
    }
    if (header.affectedRows !== sent) {
      throw new Error(`LOAD DATA into ${table} stored ${header.affectedRows} of ${sent} rows (${header.info}).`);
    }
    return header.affectedRows;
  }

  /**
   * A server-wide named lock (GET_LOCK), held by this session until `unlock` or until it disconnects.
   * Waits up to `waitSeconds`: a killed holder's lock is freed only once the server notices the disconnect.
   */
  async tryLock(name: string, waitSeconds = 0): Promise<boolean> {
    const [rows] = await this.connection.query('SELECT GET_LOCK(?, ?) AS got', [name, waitSeconds]);
    return Number((rows as { got: number | null }[])[0]?.got) === 1;
  }

  async unlock(name: string): Promise<void> {
    await this.connection.query('SELECT RELEASE_LOCK(?)', [name]);
  }

  /** Returns the connection to the pool, with the session settings undone. */
  async release(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    try {
      await this.connection.query('SET SESSION foreign_key_checks = DEFAULT, sql_mode = DEFAULT, time_zone = DEFAULT');
      this.connection.release();
    } catch {
      // A broken connection is not worth returning to the pool.
      this.connection.destroy();
    }
  }

  /** Closes the connection without waiting for anything (after an interrupted load). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.connection.destroy();
  }
}
