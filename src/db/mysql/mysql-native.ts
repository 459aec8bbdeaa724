// The mysql command-line client, for measuring LOAD DATA LOCAL INFILE without the lab in between.

import type { DbTarget } from '../../config';
import type { NativeClient } from '../native';
import { mysqlDialect } from './mysql-dialect';

export function mysqlNativeClient(target: DbTarget): NativeClient {
  const q = mysqlDialect.quoteIdent;
  return {
    command: 'mysql',
    args: [
      '--local-infile=1',
      '-h',
      target.host,
      '-P',
      String(target.port),
      '-u',
      target.user,
      '--database',
      target.database,
    ],
    env: { ...process.env, MYSQL_PWD: target.password ?? '' },
    statementArgs: (sql) => ['-e', sql],
    scriptArgs: (file) => ['-e', `source ${file}`],
    loadFileSql: (table, columns, file) =>
      `SET SESSION foreign_key_checks = 0; LOAD DATA LOCAL INFILE '${file}' INTO TABLE ${q(table)} CHARACTER SET utf8mb4 (${columns.map(q).join(', ')})`,
  };
}
