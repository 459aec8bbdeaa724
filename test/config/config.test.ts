import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, describeConfig, loadConfig, maskUrl } from '../../src/config';
import { LabError } from '../../src/errors';
import { scratchDir } from '../support/scratch';

/** A project root of its own, with an optional .env, so the real one never leaks in. */
function rootWith(dotEnv?: string): string {
  const root = scratchDir('config');
  if (dotEnv !== undefined) writeFileSync(path.join(root, '.env'), dotEnv);
  return root;
}

describe('configuration', () => {
  it('falls back to the documented defaults when nothing is set', () => {
    const config = loadConfig({ env: {}, root: rootWith() });
    expect(config.engine).toBe('mysql');
    expect(config.mysql).toMatchObject({
      host: '127.0.0.1',
      port: 3306,
      database: 'flughafendb',
      user: 'flughafen_user',
    });
    expect(config.postgres).toMatchObject({ host: '127.0.0.1', port: 5432, database: 'flughafendb' });
    expect(config.valkey).toEqual({ url: undefined, source: 'none', keyPrefix: 'lab:' });
    expect(config.dataset).toEqual({ scale: 'default', seed: Number(DEFAULTS.LAB_SEED) });
    expect(config.clock.toISOString()).toBe('2025-12-01T09:00:00.000Z');
  });

  it('reads .env, and the environment wins over it', () => {
    const root = rootWith('LAB_DB=postgres\nLAB_SCALE=tiny\nLAB_DB_PASSWORD=from-dotenv\n');
    const config = loadConfig({ env: { LAB_SCALE: 'full' }, root });
    expect(config.engine).toBe('postgres');
    expect(config.dataset.scale).toBe('full');
    expect(config.mysql.password).toBe('from-dotenv');
  });

  it('takes a password in the URL over LAB_DB_PASSWORD, and decodes it', () => {
    const config = loadConfig({
      env: { LAB_DB_PASSWORD: 'fallback', PG_URL: 'postgresql://lab:p%40ss@db.example:6543/air' },
      root: rootWith(),
    });
    expect(config.postgres).toMatchObject({
      user: 'lab',
      password: 'p@ss',
      host: 'db.example',
      port: 6543,
      database: 'air',
    });
    expect(config.mysql.password).toBe('fallback');
  });

  it('accepts DATABASE_URL for PostgreSQL when PG_URL is unset', () => {
    const config = loadConfig({ env: { DATABASE_URL: 'postgres://u@h:1/d' }, root: rootWith() });
    expect(config.postgres.where).toBe('h:1/d');
  });

  it('uses the Valkey that set-up recorded when VALKEY_URL is unset', () => {
    const root = rootWith();
    mkdirSync(path.join(root, '.lab'));
    writeFileSync(
      path.join(root, '.lab', 'valkey.json'),
      JSON.stringify({ url: 'redis://127.0.0.1:7001', port: 7001, pid: 1, dir: '.lab/valkey' }),
    );
    expect(loadConfig({ env: {}, root }).valkey).toMatchObject({ url: 'redis://127.0.0.1:7001', source: 'managed' });
    expect(loadConfig({ env: { VALKEY_URL: 'redis://10.0.0.5:6380/2' }, root }).valkey).toMatchObject({
      source: 'env',
    });
  });

  it.each([
    [{ LAB_DB: 'oracle' }, /LAB_DB="oracle" is not one of mysql, postgres\. Set LAB_DB to mysql or postgres/],
    [{ LAB_SCALE: 'huge' }, /LAB_SCALE="huge" is not one of tiny, default, full/],
    [{ LAB_SEED: 'abc' }, /LAB_SEED="abc" is not a whole number/],
    [{ LAB_CLOCK: 'yesterday' }, /LAB_CLOCK="yesterday" is not a date/],
    [{ MYSQL_URL: 'postgres://u@h/d' }, /MYSQL_URL .* has scheme "postgres:"\. Use mysql:\/\/ or mariadb:\/\//],
    [{ PG_URL: 'postgres://h' }, /PG_URL .* needs a user, a host and a database/],
    [{ VALKEY_URL: 'localhost:6379' }, /VALKEY_URL "localhost:6379" has scheme "localhost:"/],
    [{ VALKEY_URL: 'not a url' }, /VALKEY_URL "not a url" is not a URL\. Use the form redis:\/\//],
    [{ VALKEY_URL: 'redis://127.0.0.1:6379/cache' }, /names database "cache"\. A Valkey database is a number/],
    [{ LAB_KEY_PREFIX: 'my lab' }, /LAB_KEY_PREFIX "my lab" is not a valid key prefix/],
  ])('rejects %o with one line that names the setting and the fix', (env, message) => {
    const attempt = () => loadConfig({ env, root: rootWith() });
    expect(attempt).toThrow(LabError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('never shows a password: URLs are masked and the description says only that one is set', () => {
    expect(maskUrl('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
    expect(maskUrl('mysql://lab:s3cret@db:3306/x')).toBe('mysql://lab:***@db:3306/x');
    const config = loadConfig({
      env: { LAB_DB_PASSWORD: 's3cret', VALKEY_URL: 'redis://user:s3cret@127.0.0.1:6379' },
      root: rootWith(),
    });
    const shown = JSON.stringify(describeConfig(config));
    expect(shown).not.toContain('s3cret');
    expect(shown).toContain('(password set)');
  });

  it('reports a malformed VALKEY_URL without echoing its password', () => {
    expect(() => loadConfig({ env: { VALKEY_URL: 'http://user:s3cret@host:1' }, root: rootWith() })).toThrow(
      /http:\/\/user:\*\*\*@host:1/,
    );
  });
});
