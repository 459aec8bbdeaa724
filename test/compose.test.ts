import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, projectRoot } from '../src/config';
import { builtValkey } from '../src/valkey/binaries';

// No Docker engine runs where the tests run, so the compose file is checked by reading it: what `docker
// compose up` would start (images, ports, options, health, storage) and what the README tells learners to set.
const root = projectRoot();
const source = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');

interface Service {
  image: string;
  ports: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
}
const compose = parse(source) as { services: Record<string, Service>; volumes: Record<string, unknown> };
// Services behind a profile (the cluster) start only when asked for; test/compose-cluster.test.ts checks them.
const services = Object.fromEntries(
  Object.entries(compose.services).filter(([, s]) => !(s as { profiles?: string[] }).profiles),
) as Record<string, Service>;
const service = (name: string) => services[name]!;
const DATABASES = ['mariadb', 'mysql', 'postgres'];

/** `image:tag` split; the tag is what pins the release. */
function imageOf(name: string): { repository: string; tag: string } {
  const [repository, tag = ''] = service(name).image.split(':');
  return { repository: repository!, tag };
}

/** The lines the header comment tells learners to put in .env, per engine section. */
function documented(section: 'MariaDB' | 'MySQL 8.4'): Record<string, string> {
  const start = source.indexOf(`on ${section}`);
  const lines = source.slice(start).split('\n').slice(1, 3);
  const shared = source.slice(source.indexOf('and in both cases:')).split('\n').slice(1, 3);
  return Object.fromEntries(
    [...lines, ...shared].map((line) => line.replace(/^#\s*/, '').split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}

/** The Valkey this machine runs the lab on (Debian's valkey-server on PATH), as major.minor. */
function valkeyHere(): string | null {
  try {
    const version = execFileSync('valkey-server', ['--version'], { encoding: 'utf8' }).match(/v=(\d+\.\d+)\./);
    return version ? version[1]! : null;
  } catch {
    return null;
  }
}

describe("the learners' docker-compose.yml", () => {
  it('runs MariaDB, MySQL, PostgreSQL and Valkey', () => {
    expect(Object.keys(services).sort()).toEqual(['mariadb', 'mysql', 'postgres', 'valkey']);
    expect(imageOf('mariadb').repository).toBe('mariadb');
    expect(imageOf('mysql').repository).toBe('mysql');
    expect(imageOf('postgres').repository).toBe('postgres');
    expect(imageOf('valkey').repository).toBe('valkey/valkey');
  });

  it('pins every image to an exact release: MariaDB 10.11, MySQL 8.4, PostgreSQL 15, Valkey as here', () => {
    // A release, not a moving tag like `10.11`, `8.4` or `15` (PostgreSQL numbers its releases major.minor).
    expect(imageOf('mariadb').tag).toMatch(/^10\.11\.\d+$/);
    expect(imageOf('mysql').tag).toMatch(/^8\.4\.\d+$/);
    expect(imageOf('postgres').tag).toMatch(/^15\.\d+$/);
    expect(imageOf('valkey').tag).toMatch(/^\d+\.\d+\.\d+$/);
    // The same major.minor as the Valkey the lab is tested on (8.0 from Debian's backports).
    expect(imageOf('valkey').tag.split('.').slice(0, 2).join('.')).toBe(valkeyHere() ?? '8.0');
  });

  it('publishes every port on 127.0.0.1 only, each on its own host port', () => {
    const hostPorts = Object.values(services).flatMap((s) =>
      s.ports.map((port) => {
        expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
        return port.split(':')[1];
      }),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it("publishes MariaDB, PostgreSQL and Valkey on the ports of the lab's default URLs, MySQL beside them", () => {
    const config = loadConfig({ env: {}, root: path.join(root, 'no-such-folder') });
    expect(service('mariadb').ports).toEqual([`127.0.0.1:${config.mysql.port}:3306`]);
    expect(service('postgres').ports).toEqual([`127.0.0.1:${config.postgres.port}:5432`]);
    expect(service('valkey').ports).toEqual(['127.0.0.1:6379:6379']);
    expect(service('mysql').ports).toEqual(['127.0.0.1:3307:3306']);
  });

  it('gives every service a healthcheck', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.healthcheck?.test?.[0], name).toBe('CMD');
      expect(s.healthcheck!.test.length, name).toBeGreaterThan(1);
      expect(s.healthcheck!.retries, name).toBeGreaterThan(0);
    }
    // MySQL's check goes over TCP with the root password it sets, so it cannot pass during initialisation.
    expect(service('mysql').healthcheck!.test).toEqual(
      expect.arrayContaining(['mysqladmin', 'ping', '--host=127.0.0.1', '--password=lab-admin']),
    );
  });

  it('keeps every database in a named volume, declared at the top level', () => {
    for (const name of DATABASES) {
      const mounts = service(name).volumes ?? [];
      expect(mounts.length, name).toBe(1);
      const [volume, target] = mounts[0]!.split(':');
      expect(Object.keys(compose.volumes), name).toContain(volume);
      expect(target, name).toMatch(/^\/var\/lib\//);
    }
  });

  it('lets the loader bulk-load into MariaDB and MySQL (local_infile on)', () => {
    expect(service('mariadb').command).toContain('--local-infile=1');
    expect(service('mysql').command).toContain('--local-infile=1');
  });

  it.each(['MariaDB', 'MySQL 8.4'] as const)(
    'documents .env lines for %s that match the passwords and ports it sets, and that the config accepts',
    (section) => {
      const env = documented(section);
      expect(Object.keys(env).sort()).toEqual(['MYSQL_ADMIN_URL', 'MYSQL_URL', 'PG_ADMIN_URL', 'VALKEY_URL']);
      const config = loadConfig({ env, root: path.join(root, 'no-such-folder') });
      const mysqlService = section === 'MariaDB' ? service('mariadb') : service('mysql');
      const rootPassword =
        mysqlService.environment!.MARIADB_ROOT_PASSWORD ?? mysqlService.environment!.MYSQL_ROOT_PASSWORD;
      expect(config.mysqlAdmin.password).toBe(rootPassword);
      expect(config.postgresAdmin.password).toBe(service('postgres').environment!.POSTGRES_PASSWORD);
      expect(mysqlService.ports).toEqual([`127.0.0.1:${config.mysqlAdmin.port}:3306`]);
      expect(config.mysql.port).toBe(config.mysqlAdmin.port);
      expect(config.mysql.password).toBeUndefined(); // set-up generates the lab user's password into .env
      expect(config.valkey.url).toBe(env.VALKEY_URL);
    },
  );
});

describe("the compose file's Valkey 9.1 profile", () => {
  const valkey9 = compose.services['valkey-9.1'] as Service & { profiles?: string[] };

  it('starts only with --profile valkey-9.1, pinned to the release of set-up’s 9.1 build', () => {
    expect(valkey9.profiles).toEqual(['valkey-9.1']);
    const [repository, tag = ''] = valkey9.image.split(':');
    expect(repository).toBe('valkey/valkey');
    expect(tag).toMatch(/^9\.1\.\d+$/);
    const build = builtValkey();
    if (build) expect(tag).toBe(build.version);
  });

  it('keeps nothing on disk, like the 8.0 service, and has a healthcheck', () => {
    expect(valkey9.command).toEqual(service('valkey').command);
    expect(valkey9.healthcheck).toEqual(service('valkey').healthcheck);
  });

  it('publishes on loopback beside the 8.0 service, and documents a VALKEY_URL the config accepts', () => {
    const taken = Object.values(compose.services).flatMap((s) =>
      s === valkey9 ? [] : s.ports.map((p) => p.split(':')[1]),
    );
    expect(valkey9.ports).toHaveLength(1);
    const [host, outside, inside] = valkey9.ports[0]!.split(':');
    expect(host).toBe('127.0.0.1');
    expect(inside).toBe('6379');
    expect(taken).not.toContain(outside);
    const block = source.slice(source.indexOf('profile "valkey-9.1"'), source.indexOf('  valkey-9.1:'));
    const url = /VALKEY_URL=(\S+)/.exec(block)![1]!;
    const config = loadConfig({ env: { VALKEY_URL: url }, root: path.join(root, 'no-such-folder') });
    expect(new URL(config.valkey.url!).port).toBe(outside);
  });
});
