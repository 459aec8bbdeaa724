// PostgreSQL DDL for a table definition: text compared by code point ("C"), keys built after the load.

import { assertIdentifier } from '../engine';
import type { Column, Ddl, TableDefinition } from '../ddl';
import { postgresDialect } from './postgres-dialect';

const q = postgresDialect.quoteIdent;
const list = (columns: readonly string[]) => columns.map(q).join(', ');

function typeSql(column: Column): string {
  const t = column.type;
  switch (t.kind) {
    case 'smallint':
      return 'smallint';
    case 'int':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'mediumint-unsigned':
      return 'integer';
    // smallint, not boolean, so both engines return 0 and 1.
    case 'flag':
      return 'smallint';
    case 'date':
      return 'date';
    case 'time':
      return 'time(0)';
    case 'datetime':
      return 'timestamp(0)';
    case 'text':
      return 'text COLLATE "C"';
    // char(n) is padded with spaces on output; varchar returns what was stored, as MySQL's CHAR does.
    case 'char':
    case 'varchar':
      return `varchar(${t.length}) COLLATE "C"`;
    case 'decimal':
      return `numeric(${t.precision},${t.scale})`;
    case 'enum': {
      const values = t.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
      const longest = Math.max(...t.values.map((v) => v.length));
      return `varchar(${longest}) COLLATE "C" CHECK (${assertIdentifier(column.name)} IN (${values}))`;
    }
  }
}

export const postgresDdl: Ddl = {
  // The primary key is built after the load like any other index, except for a table made on demand.
  createTable(table: TableDefinition, options = {}) {
    const lines = table.columns.map((c) => `  ${q(c.name)} ${typeSql(c)}${c.nullable ? '' : ' NOT NULL'}`);
    if (table.primaryKey && options.ifNotExists) {
      lines.push(`  PRIMARY KEY (${list(table.primaryKey)})`);
    }
    const create = options.ifNotExists ? 'CREATE TABLE IF NOT EXISTS' : 'CREATE TABLE';
    return `${create} ${q(table.name)} (\n${lines.join(',\n')}\n)`;
  },
  // Every index is its own statement, so one table's indexes can build side by side.
  keys(table) {
    const primaryKey = table.primaryKey
      ? `ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(`${table.name}_pkey`)} PRIMARY KEY (${list(table.primaryKey)})`
      : undefined;
    const indexes = table.indexes.map(
      (i) => `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(table.name)} (${list(i.columns)})`,
    );
    return { primaryKey, indexes };
  },
  // NOT VALID: existing rows are not re-checked; new rows are.
  foreignKeys(table) {
    return table.foreignKeys.map(
      (f) =>
        `ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(f.name)} FOREIGN KEY (${list(f.columns)}) ` +
        `REFERENCES ${q(f.references.table)} (${list(f.references.columns)}) NOT VALID`,
    );
  },
  dropTables: (tables) => `DROP TABLE IF EXISTS ${tables.map(q).join(', ')}`,
  analyzeTables: (tables) => `ANALYZE ${tables.map(q).join(', ')}`,
  bulkIndexPrelude: "SET maintenance_work_mem = '256MB'",
  upsert(table, key, columns) {
    const updates = columns.filter((c) => !key.includes(c)).map((c) => `${q(c)} = EXCLUDED.${q(c)}`);
    return (
      `INSERT INTO ${q(table)} (${list(columns)}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ` +
      `ON CONFLICT (${list(key)}) DO UPDATE SET ${updates.join(', ')}`
    );
  },
};
