// Where MariaDB/MySQL SQL differs from PostgreSQL's, the MariaDB/MySQL side.

import { errorCode } from '../../errors';
import { assertIdentifier, type Dialect } from '../engine';

/** Where MariaDB/MySQL SQL differs from PostgreSQL's: placeholders, quoting, dates, listing tables and indexes, DESCRIBE, errors. */
export const mysqlDialect: Dialect = {
  param: () => '?',
  paramCount: (sql) => (sql.match(/\?/g) ?? []).length,
  quoteIdent: (name) => `\`${assertIdentifier(name)}\``,
  minutesBetween: (from, to) => `TIMESTAMPDIFF(MINUTE, ${from}, ${to})`,
  dateOf: (expr) => `DATE(${expr})`,
  joinedList: (expr, orderBy) => `GROUP_CONCAT(${expr} ORDER BY ${orderBy})`,
  listTablesSql: 'SHOW TABLES',
  listIndexesSql: `SELECT index_name AS name, column_name, non_unique = 0 AS is_unique
  FROM information_schema.statistics
 WHERE table_schema = DATABASE() AND table_name = ?
 ORDER BY index_name, seq_in_index`,
  describeTable: (table) => ({ sql: `DESCRIBE ${mysqlDialect.quoteIdent(table)}`, params: [] }),
  dropIndexSql: (table, index) => `DROP INDEX ${mysqlDialect.quoteIdent(index)} ON ${mysqlDialect.quoteIdent(table)}`,
  // mysql2 names the error; its number is 1062 on MariaDB and MySQL alike.
  isDuplicateKey: (error) => ['ER_DUP_ENTRY', '1062'].includes(errorCode(error) ?? ''),
};
