import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, projectRoot } from '../src/config';

// No Docker engine runs where the tests run, so the compose file is checked by reading it.
const root = projectRoot();
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<
    string,
    { image: string; ports: string[]; command?: string[]; environment?: Record<string, string> }
  >;
};
const header = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');

describe("the learners' docker-compose.yml", () => {
  it('runs MariaDB, PostgreSQL and Valkey, each on a loopback port only', () => {
    // Services behind a profile (the cluster) start only when asked for; they are checked on their own.
    const always = Object.entries(compose.services).filter(([, s]) => !(s as { profiles?: string[] }).profiles);
    expect(always.map(([name]) => name).sort()).toEqual(['mariadb', 'postgres', 'valkey']);
    expect(compose.services.valkey!.image).toMatch(/^valkey\/valkey:/);
    for (const service of Object.values(compose.services)) {
      for (const port of service.ports) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("publishes the ports the lab's default URLs use", () => {
    const config = loadConfig({ env: {}, root: path.join(root, 'no-such-folder') });
    expect(compose.services.mariadb!.ports).toContain(`127.0.0.1:${config.mysql.port}:3306`);
    expect(compose.services.postgres!.ports).toContain(`127.0.0.1:${config.postgres.port}:5432`);
    expect(compose.services.valkey!.ports).toContain('127.0.0.1:6379:6379');
  });

  it('lets the loader bulk-load into MariaDB', () => {
    expect(compose.services.mariadb!.command).toContain('--local-infile=1');
  });

  it('documents admin URLs that match the passwords it sets, and that the config accepts', () => {
    const mariadbPassword = compose.services.mariadb!.environment!.MARIADB_ROOT_PASSWORD!;
    const postgresPassword = compose.services.postgres!.environment!.POSTGRES_PASSWORD!;
    const mysqlAdmin = header.match(/MYSQL_ADMIN_URL=(\S+)/)![1]!;
    const pgAdmin = header.match(/PG_ADMIN_URL=(\S+)/)![1]!;
    const valkeyUrl = header.match(/VALKEY_URL=(\S+)/)![1]!;
    const config = loadConfig({
      env: { MYSQL_ADMIN_URL: mysqlAdmin, PG_ADMIN_URL: pgAdmin, VALKEY_URL: valkeyUrl },
      root: path.join(root, 'no-such-folder'),
    });
    expect(config.mysqlAdmin.password).toBe(mariadbPassword);
    expect(config.postgresAdmin.password).toBe(postgresPassword);
    expect(config.valkey.url).toBe(valkeyUrl);
  });
});
