// What tests share: a configuration pointed at the test databases, so tests never touch the notebooks' data.

import { loadConfig, type DbTarget, type LabConfig } from '../../src/config';

export const TEST_DATABASE = 'flughafendb_test';

/** The lab configuration with both engines pointed at the test databases; `env` overrides anything. */
export function testConfig(env: Record<string, string | undefined> = {}): LabConfig {
  const base = loadConfig();
  return loadConfig({
    env: {
      ...process.env,
      MYSQL_URL: urlOf('mysql', base.mysql),
      PG_URL: urlOf('postgres', base.postgres),
      ...env,
    },
  });
}

function urlOf(scheme: string, target: DbTarget): string {
  const password = target.password ? `:${encodeURIComponent(target.password)}` : '';
  return `${scheme}://${encodeURIComponent(target.user)}${password}@${target.host}:${target.port}/${TEST_DATABASE}`;
}
