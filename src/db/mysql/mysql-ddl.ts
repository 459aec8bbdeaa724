// MariaDB/MySQL DDL for a table definition: InnoDB, utf8mb4 compared by code point, keys in one ALTER.

import type { Column, Ddl, TableDefinition } from '../ddl';
import { mysqlDialect } from './mysql-dialect';

const q = mysqlDialect.quoteIdent;
const list = (columns: readonly string[]) => columns.map(q).join(', ');

function typeSql(column: Column): string {
  const t = column.type;
  switch (t.kind) {
    case 'smallint':
      return 'SMALLINT';
    case 'int':
      return 'INT';
    case 'bigint':
      return 'BIGINT';
    case 'mediumint-unsigned':
      return 'MEDIUMINT UNSIGNED';
    case 'flag':
      return 'TINYINT(1)';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'datetime':
      return 'DATETIME';
    case 'text':
      return 'TEXT';
    case 'char':
      return `CHAR(${t.length})`;
    case 'varchar':
      return `VARCHAR(${t.length})`;
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'enum':
      return `ENUM(${t.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')})`;
  }
}

export const mysqlDdl: Ddl = {
  // InnoDB stores rows in primary-key order, so the key comes with the table (adding it later rebuilds it).
  // utf8mb4_bin compares by code point, as PostgreSQL's "C" does: ORDER BY gives the same rows on both.
  createTable(table: TableDefinition, options = {}) {
    const lines = table.columns.map((c) => `  ${q(c.name)} ${typeSql(c)}${c.nullable ? '' : ' NOT NULL'}`);
    if (table.primaryKey) lines.push(`  PRIMARY KEY (${list(table.primaryKey)})`);
    const comment = table.about.replace(/'/g, "''");
    const create = options.ifNotExists ? 'CREATE TABLE IF NOT EXISTS' : 'CREATE TABLE';
    return `${create} ${q(table.name)} (\n${lines.join(',\n')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='${comment}'`;
  },
  // One ALTER builds all of a table's indexes in a single pass over its rows.
  keys(table) {
    if (table.indexes.length === 0) return { indexes: [] };
    const parts = table.indexes.map((i) => `ADD ${i.unique ? 'UNIQUE ' : ''}KEY ${q(i.name)} (${list(i.columns)})`);
    return { indexes: [`ALTER TABLE ${q(table.name)} ${parts.join(', ')}`] };
  },
  // Existing rows are not re-checked because the loading session runs with foreign_key_checks=0.
  foreignKeys(table) {
    return table.foreignKeys.map(
      (f) =>
        `ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(f.name)} FOREIGN KEY (${list(f.columns)}) ` +
        `REFERENCES ${q(f.references.table)} (${list(f.references.columns)})`,
    );
  },
  dropTables: (tables) => `DROP TABLE IF EXISTS ${tables.map(q).join(', ')}`,
  analyzeTables: (tables) => `ANALYZE TABLE ${tables.map(q).join(', ')}`,
  bulkIndexPrelude: 'SET SESSION foreign_key_checks = 0',
  upsert(table, key, columns) {
    const updates = columns.filter((c) => !key.includes(c)).map((c) => `${q(c)} = VALUES(${q(c)})`);
    return (
      `INSERT INTO ${q(table)} (${list(columns)}) VALUES (${columns.map(() => '?').join(', ')}) ` +
      `ON DUPLICATE KEY UPDATE ${updates.join(', ')}`
    );
  },
};
