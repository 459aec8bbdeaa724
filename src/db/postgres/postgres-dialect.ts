// Where PostgreSQL SQL differs from MariaDB/MySQL's, the PostgreSQL side.

import { errorCode } from '../../errors';
import { assertIdentifier, type Dialect } from '../engine';

/**
 * The columns of a table in the shape of MySQL's DESCRIBE (Field, Type, Null, Key, Default), so both
 * engines answer the guide's "describe airport" the same way. $1 is the table name.
 */
const DESCRIBE_SQL = `SELECT a.attname AS "Field",
       format_type(a.atttypid, a.atttypmod) AS "Type",
       CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS "Null",
       CASE
         WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) THEN 'PRI'
         WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indkey[0] = a.attnum) THEN 'UNI'
         WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indkey[0] = a.attnum) THEN 'MUL'
         ELSE ''
       END AS "Key",
       pg_get_expr(d.adbin, d.adrelid) AS "Default"
  FROM pg_attribute a
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attrelid = to_regclass($1::text) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum`;

/** Where PostgreSQL SQL differs from MariaDB/MySQL's: placeholders, quoting, dates, listing tables and indexes, DESCRIBE, errors. */
export const postgresDialect: Dialect = {
  param: (n) => `$${n}`,
  paramCount: (sql) => Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))),
  quoteIdent: (name) => `"${assertIdentifier(name)}"`,
  minutesBetween: (from, to) => `TRUNC(EXTRACT(EPOCH FROM (${to} - ${from})) / 60)::integer`,
  dateOf: (expr) => `CAST(${expr} AS date)`,
  joinedList: (expr, orderBy) => `string_agg(${expr}::text, ',' ORDER BY ${orderBy})`,
  listTablesSql: 'SELECT tablename AS "Tables" FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename',
  listIndexesSql: `SELECT i.relname AS name, a.attname AS column_name, ix.indisunique AS is_unique
  FROM pg_index ix
  JOIN pg_class t ON t.oid = ix.indrelid
  JOIN pg_class i ON i.oid = ix.indexrelid
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (ix.indkey)
 WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace
 ORDER BY i.relname, array_position(ix.indkey::int2[], a.attnum)`,
  describeTable: (table) => ({ sql: DESCRIBE_SQL, params: [assertIdentifier(table)] }),
  // Index names are unique per schema in PostgreSQL, so the table is not part of the statement.
  dropIndexSql: (_table, index) => `DROP INDEX ${postgresDialect.quoteIdent(index)}`,
  // SQLSTATE 23505: unique_violation.
  isDuplicateKey: (error) => errorCode(error) === '23505',
};
