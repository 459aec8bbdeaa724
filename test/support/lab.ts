// What tests share: a configuration pointed at the test databases, so tests never touch the notebooks' data.

import { loadConfig, type DbTarget, type LabConfig } from '../../src/config';
import { testDatabaseName } from '../../src/db/provision';

/**
 * The lab configuration with both engines pointed at their test databases (set-up creates
 * `<lab database>_test` on both); `env` overrides anything.
 */
export function testConfig(env: Record<string, string | undefined> = {}): LabConfig {
  const base = loadConfig();
  return loadConfig({
    env: {
      ...process.env,
      MYSQL_URL: testUrl('mysql', base.mysql),
      PG_URL: testUrl('postgres', base.postgres),
      ...env,
    },
  });
}

function testUrl(scheme: string, target: DbTarget): string {
  const password = target.password ? `:${encodeURIComponent(target.password)}` : '';
  const database = testDatabaseName(target.database);
  return `${scheme}://${encodeURIComponent(target.user)}${password}@${target.host}:${target.port}/${database}`;
}
