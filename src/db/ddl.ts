// Tables described once, as data; each engine renders the description as its own DDL (see <engine>-ddl.ts).

/** Column types in FlughafenDB's words; each engine renders them. */
export type ColumnType =
  | { kind: 'smallint' | 'int' | 'bigint' | 'flag' | 'date' | 'time' | 'datetime' | 'text' }
  | { kind: 'mediumint-unsigned' }
  | { kind: 'char' | 'varchar'; length: number }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'enum'; values: readonly string[] };

export interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

export interface Index {
  name: string;
  columns: readonly string[];
  unique?: boolean;
}

export interface ForeignKey {
  name: string;
  columns: readonly string[];
  references: { table: string; columns: readonly string[] };
}

export interface TableDefinition<Name extends string = string> {
  name: Name;
  /** One sentence for `describe`-style listings. */
  about: string;
  columns: readonly Column[];
  /** Absent for tables that have none (FlughafenDB's log tables). */
  primaryKey?: readonly string[];
  /** Secondary indexes: built after a bulk load. */
  indexes: readonly Index[];
  foreignKeys: readonly ForeignKey[];
}

/** The keys and indexes of a table, to build after its rows are in. */
export interface KeyStatements {
  /** The primary key, when the engine adds it after the load (else it is part of CREATE TABLE). */
  primaryKey?: string;
  /** The secondary indexes, in as few statements as the engine can build them. */
  indexes: string[];
}

/** Each engine's DDL for a table definition. */
export interface Ddl {
  /**
   * CREATE TABLE without secondary indexes or foreign keys. The primary key is part of it when the
   * engine stores rows in key order, and with `ifNotExists` (a small table that is written, not bulk-loaded).
   */
  createTable(table: TableDefinition, options?: { ifNotExists?: boolean }): string;
  /** The statements that build a table's keys and indexes after its rows are in. */
  keys(table: TableDefinition): KeyStatements;
  /**
   * The statements that add a table's foreign keys without re-checking the rows already loaded (the
   * generator guarantees them; new rows are still checked).
   */
  foreignKeys(table: TableDefinition): string[];
  /** DROP TABLE IF EXISTS for several tables at once (so foreign keys between them do not get in the way). */
  dropTables(tables: readonly string[]): string;
  /** Refreshes the optimizer's statistics of the tables. */
  analyzeTables(tables: readonly string[]): string;
  /** A session setting that speeds up building keys and foreign keys after a bulk load. */
  bulkIndexPrelude: string;
  /** Insert a row, or update every column but the key when one with that key exists; `?`/`$n` in column order. */
  upsert(table: string, key: readonly string[], columns: readonly string[]): string;
}
