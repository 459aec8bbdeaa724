// The psql command-line client, for measuring COPY FROM STDIN without the lab in between.

import type { DbTarget } from '../../config';
import type { NativeClient } from '../native';
import { postgresDialect } from './postgres-dialect';

export function postgresNativeClient(target: DbTarget): NativeClient {
  const q = postgresDialect.quoteIdent;
  return {
    command: 'psql',
    args: [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      target.host,
      '-p',
      String(target.port),
      '-U',
      target.user,
      '-d',
      target.database,
    ],
    env: { ...process.env, PGPASSWORD: target.password ?? '' },
    statementArgs: (sql) => ['-c', sql],
    scriptArgs: (file) => ['-f', file],
    loadFileSql: (table, columns, file) => `\\copy ${q(table)} (${columns.map(q).join(', ')}) FROM '${file}'`,
  };
}
