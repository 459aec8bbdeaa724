// The one interface every database adapter implements; nothing engine-specific lives above it.

import { LabError } from '../errors';
import type { EngineKind } from './kinds';
import type { ExplainResult } from './explain';

/** MariaDB and MySQL share an adapter; INFO-style detection tells them apart. */
export type Flavor = 'mariadb' | 'mysql' | 'postgresql';

export interface SqlServerInfo {
  engine: EngineKind;
  flavor: Flavor;
  /** As the server reports it, e.g. `10.11.19-MariaDB-0+deb12u1` or `15.20`. */
  version: string;
  /** Display name with version, e.g. `MariaDB 10.11.19`. */
  label: string;
  /** `host:port/database`. */
  where: string;
  user: string;
}

export type Row = Record<string, unknown>;

export interface QueryResult<R = Row> {
  rows: R[];
  /** Wall-clock time of the round trip, in milliseconds. */
  elapsedMs: number;
  /** Rows changed by INSERT/UPDATE/DELETE; 0 for SELECT. */
  affectedRows: number;
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  /** `PRI`, `UNI`, `MUL` on MySQL; the same words derived from constraints and indexes on PostgreSQL. */
  key: string;
  default: string | null;
}

export interface ExplainOptions {
  /** Run the statement and report actual rows and time (EXPLAIN ANALYZE / ANALYZE FORMAT=JSON). */
  analyze?: boolean;
}

/** The places where the two engines' SQL differs, each as a small function. */
export interface Dialect {
  /** Bind placeholder for the n-th parameter (1-based): `?` or `$n`. */
  param(n: number): string;
  /** How many parameters a statement takes (`?` marks, or the highest `$n`). */
  paramCount(sql: string): number;
  /** Quotes an identifier after validating it (letters, digits, underscore). */
  quoteIdent(name: string): string;
  /** An expression for whole minutes between two timestamps. */
  minutesBetween(from: string, to: string): string;
  /** An expression for the calendar date of a timestamp. */
  dateOf(expr: string): string;
  /** An aggregate joining values with commas, in order. */
  joinedList(expr: string, orderBy: string): string;
  /** The SQL that lists the tables of the lab database. */
  listTablesSql: string;
  /** The SQL that lists a table's indexes, one row per column: `name`, `column_name`, `is_unique`; $1/? is the table. */
  listIndexesSql: string;
  /** The statement (and its parameters) that describes a table as DESCRIBE does: Field, Type, Null, Key, Default. */
  describeTable(table: string): { sql: string; params: unknown[] };
  /** The statement that drops an index of a table. */
  dropIndexSql(table: string, index: string): string;
  /** True when `error` is this engine refusing a row because a unique key already holds its value. */
  isDuplicateKey(error: unknown): boolean;
}

/** Rows as tab-separated lines, the text both LOAD DATA and COPY read: whole lines, `\N` for NULL. */
export interface TextChunk {
  text: string;
  rows: number;
}

/** A dedicated connection for bulk work: DDL, streaming rows in through the engine's bulk path, advisory locks. */
export interface BulkSession {
  exec(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Streams `chunks` into `table` (LOAD DATA LOCAL INFILE / COPY FROM STDIN); returns the rows the server took. */
  load(
    table: string,
    columns: readonly string[],
    chunks: Iterable<TextChunk>,
    onRows?: (rows: number) => void,
  ): Promise<number>;
  tryLock(name: string, waitSeconds?: number): Promise<boolean>;
  unlock(name: string): Promise<void>;
  /** Returns the connection to the pool. */
  release(): Promise<void>;
  /** Closes the connection for good (after a failure mid-stream). */
  destroy(): void;
}

/** The statements of one transaction, on the connection it holds (see SqlEngine.transaction). */
export interface Transaction {
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface SqlEngine {
  readonly kind: EngineKind;
  readonly dialect: Dialect;
  /** `host:port/database`, for messages. */
  readonly where: string;
  /** Runs one statement with bound parameters (never interpolated). */
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** The engine's raw plan and one normalized plan tree. */
  explain(sql: string, params?: readonly unknown[], options?: ExplainOptions): Promise<ExplainResult>;
  serverInfo(): Promise<SqlServerInfo>;
  listTables(): Promise<string[]>;
  describeTable(table: string): Promise<ColumnInfo[]>;
  /**
   * Runs `work` as one transaction on a connection of its own: COMMIT when it resolves, ROLLBACK when it throws
   * (the error is thrown on). The pool's other queries may run on any connection, so BEGIN through `query` would not.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** A connection of its own for bulk loading (the dataset loader). */
  openBulkSession(): Promise<BulkSession>;
  close(): Promise<void>;
}

/** Rows in the shape of MySQL's DESCRIBE (Field, Type, Null, Key, Default), which both adapters produce. */
export type DescribeRow = Record<'Field' | 'Type' | 'Null' | 'Key' | 'Default', string | null>;

export function columnsFromDescribe(rows: readonly DescribeRow[]): ColumnInfo[] {
  return rows.map((row) => ({
    name: String(row.Field),
    type: String(row.Type),
    nullable: row.Null === 'YES',
    key: row.Key ?? '',
    default: row.Default ?? null,
  }));
}

/** Throws unless `name` is a plain identifier; used wherever an identifier must be interpolated. */
export function assertIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) {
    throw new LabError({
      what: `"${name}" is not a valid SQL identifier`,
      fix: 'Use letters, digits and _ only, starting with a letter or _ (at most 64 characters).',
    });
  }
  return name;
}
