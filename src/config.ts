// The lab's configuration: environment variables and `.env` read into one typed, validated object.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ENGINE_KINDS, engineFacts, type EngineKind } from './db/kinds';
import { LabError } from './errors';

export { ENGINE_KINDS, engineLabel, type EngineKind } from './db/kinds';

export type Scale = 'tiny' | 'default' | 'full';
export const SCALES: readonly Scale[] = ['tiny', 'default', 'full'];

/** Where a database lives and who connects to it. */
export interface DbTarget {
  kind: EngineKind;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Kept for connecting; never printed (see `maskUrl`). */
  password: string | undefined;
  /** `host:port/database`, for messages. */
  where: string;
}

export interface ValkeyTarget {
  /** Undefined until set-up has started a managed Valkey or VALKEY_URL is set. */
  url: string | undefined;
  /**
   * The password in `url`, kept for tools that take it apart from the URL (valkey-cli reads it from
   * REDISCLI_AUTH); never printed. For the managed Valkey it is LAB_VALKEY_PASSWORD.
   */
  password: string | undefined;
  /** Where the URL came from: the environment, or the Valkey that set-up manages. */
  source: 'env' | 'managed' | 'none';
  /** Every key the lab writes starts with this, so it never touches anyone else's keys. */
  keyPrefix: string;
  /** Seed nodes of a Valkey Cluster (VALKEY_CLUSTER_NODES); when set, the lab connects to the cluster instead of `url`. */
  clusterNodes: ClusterSeed[] | undefined;
}

/** One seed node of a cluster: the client learns the other nodes from it. */
export interface ClusterSeed {
  host: string;
  port: number;
}

export interface LabConfig {
  /** The project's root folder. */
  root: string;
  /** The engine the notebooks use (LAB_DB). */
  engine: EngineKind;
  /** The least-privilege lab user on each engine. */
  mysql: DbTarget;
  postgres: DbTarget;
  /** Administrator connections, used only by set-up to create the lab database and user. */
  mysqlAdmin: DbTarget;
  postgresAdmin: DbTarget;
  valkey: ValkeyTarget;
  dataset: { scale: Scale; seed: number };
  /** The lab's "now": queries that depend on the current time take this, so results reproduce. */
  clock: Date;
}

export const DEFAULTS = {
  LAB_DB: 'mysql',
  MYSQL_URL: 'mysql://flughafen_user@127.0.0.1:3306/flughafendb',
  PG_URL: 'postgres://flughafen_user@127.0.0.1:5432/flughafendb',
  MYSQL_ADMIN_URL: 'mysql://root@127.0.0.1:3306/mysql',
  PG_ADMIN_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  LAB_KEY_PREFIX: 'lab:',
  LAB_SCALE: 'default',
  LAB_SEED: '20251215',
  LAB_CLOCK: '2025-12-01T09:00:00Z',
} as const;

/** The file in which set-up records the Valkey it started (git-ignored, under `.lab/`). */
export const MANAGED_VALKEY_FILE = path.join('.lab', 'valkey.json');

export interface ManagedValkey {
  url: string;
  port: number;
  pid: number;
  dir: string;
}

type Env = Record<string, string | undefined>;

const PROJECT_NAME = 'cache-me-if-you-can-valkey';

/** The project root: the nearest folder above this file whose package.json is the project's (LAB_ROOT overrides). */
export function projectRoot(env: Env = process.env): string {
  if (env.LAB_ROOT) return path.resolve(env.LAB_ROOT);
  // Runs from src/ (tests, scripts) and from dist/src/ (notebooks), so walk up rather than guess.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(`"name": "${PROJECT_NAME}"`)) return dir;
  }
  return process.cwd();
}

/** Reads `.env` from the project root, if there is one. */
export function readDotEnv(root: string): Env {
  const file = path.join(root, '.env');
  if (!existsSync(file)) return {};
  try {
    return parseEnv(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new LabError({
      what: 'Cannot parse .env',
      where: file,
      fix: 'Fix the line it stops at (KEY=value per line).',
      cause,
    });
  }
}

/** Reads the Valkey that set-up manages, if one was recorded. */
export function readManagedValkey(root: string): ManagedValkey | undefined {
  const file = path.join(root, MANAGED_VALKEY_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as ManagedValkey;
    return typeof value.url === 'string' ? value : undefined;
  } catch {
    return undefined; // a damaged record is the same as none: set-up writes a new one
  }
}

/**
 * Builds the configuration. Precedence: the process environment, then `.env`, then what set-up
 * recorded (the managed Valkey), then the defaults above. Throws a LabError naming the variable.
 */
export function loadConfig(options: { env?: Env; root?: string } = {}): LabConfig {
  const processEnv = options.env ?? process.env;
  const root = options.root ?? projectRoot(processEnv);
  const env: Env = { ...readDotEnv(root), ...definedOnly(processEnv) };
  const get = (name: keyof typeof DEFAULTS): string => nonEmpty(env[name]) ?? DEFAULTS[name];

  const engine = oneOf('LAB_DB', get('LAB_DB'), ENGINE_KINDS);
  const labPassword = nonEmpty(env.LAB_DB_PASSWORD);
  const pgUrl = nonEmpty(env.PG_URL) ?? nonEmpty(env.DATABASE_URL) ?? DEFAULTS.PG_URL;

  return {
    root,
    engine,
    mysql: parseDbUrl('MYSQL_URL', get('MYSQL_URL'), 'mysql', labPassword),
    postgres: parseDbUrl(env.PG_URL ? 'PG_URL' : 'DATABASE_URL', pgUrl, 'postgres', labPassword),
    mysqlAdmin: parseDbUrl('MYSQL_ADMIN_URL', get('MYSQL_ADMIN_URL'), 'mysql', undefined),
    postgresAdmin: parseDbUrl('PG_ADMIN_URL', get('PG_ADMIN_URL'), 'postgres', undefined),
    valkey: valkeyTarget(env, root),
    dataset: {
      scale: oneOf('LAB_SCALE', get('LAB_SCALE'), SCALES),
      seed: integer('LAB_SEED', get('LAB_SEED')),
    },
    clock: date('LAB_CLOCK', get('LAB_CLOCK')),
  };
}

/** The lab user's target on `kind` (LabConfig keeps one per engine, under the engine's kind). */
export function targetOf(config: LabConfig, kind: EngineKind): DbTarget {
  return config[kind];
}

/** The administrator's target on `kind`, used only by set-up. */
export function adminTargetOf(config: LabConfig, kind: EngineKind): DbTarget {
  return config[`${kind}Admin`];
}

/** The target of the engine the notebooks use. */
export function activeTarget(config: LabConfig): DbTarget {
  return targetOf(config, config.engine);
}

/** A URL with its password replaced by `***`, safe to print. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/** The configuration as plain text-friendly values, passwords masked. */
export function describeConfig(config: LabConfig): Record<string, string> {
  const db = (t: DbTarget) => `${t.user}@${t.where}${t.password ? ' (password set)' : ''}`;
  return {
    'active engine (LAB_DB)': config.engine,
    'MariaDB/MySQL': db(config.mysql),
    PostgreSQL: db(config.postgres),
    Valkey: config.valkey.clusterNodes
      ? `cluster via ${config.valkey.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')} (env)`
      : config.valkey.url
        ? `${maskUrl(config.valkey.url)} (${config.valkey.source})`
        : 'not set up',
    'key prefix': config.valkey.keyPrefix,
    dataset: `${config.dataset.scale} scale, seed ${config.dataset.seed}`,
    'lab clock': config.clock.toISOString(),
  };
}

function valkeyTarget(env: Env, root: string): ValkeyTarget {
  const keyPrefix = nonEmpty(env.LAB_KEY_PREFIX) ?? DEFAULTS.LAB_KEY_PREFIX;
  if (!/^[A-Za-z0-9:_.{}-]+$/.test(keyPrefix)) {
    throw new LabError({
      what: `LAB_KEY_PREFIX "${keyPrefix}" is not a valid key prefix`,
      fix: 'Use letters, digits and : _ . - only, for example "lab:".',
    });
  }
  const seeds = nonEmpty(env.VALKEY_CLUSTER_NODES);
  const clusterNodes = seeds === undefined ? undefined : parseClusterNodes(seeds);
  const fromEnv = nonEmpty(env.VALKEY_URL);
  if (fromEnv) {
    validateValkeyUrl(fromEnv);
    const password = new URL(fromEnv).password;
    return {
      url: fromEnv,
      password: password ? decodeURIComponent(password) : undefined,
      source: 'env',
      keyPrefix,
      clusterNodes,
    };
  }
  // The managed Valkey asks for the password set-up generated into .env; the record itself holds none.
  const password = nonEmpty(env.LAB_VALKEY_PASSWORD);
  const managed = readManagedValkey(root);
  if (managed)
    return { url: withPassword(managed.url, password), password, source: 'managed', keyPrefix, clusterNodes };
  return { url: undefined, password, source: 'none', keyPrefix, clusterNodes };
}

/** `redis://host:port` with `password` for the default user added (unchanged without one). */
export function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** `127.0.0.1:7001,127.0.0.1:7002` → seed nodes; a LabError naming the entry that is not `host:port`. */
export function parseClusterNodes(value: string): ClusterSeed[] {
  return value.split(',').map((raw) => {
    const entry = raw.trim();
    const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new LabError({
        what: `VALKEY_CLUSTER_NODES entry "${entry}" is not host:port`,
        fix: 'List seed nodes separated by commas, for example VALKEY_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002.',
      });
    }
    return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
  });
}

/** Throws a LabError unless `url` is a usable redis:// / rediss:// / valkey:// URL. */
export function validateValkeyUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LabError({
      what: `VALKEY_URL "${maskUrl(url)}" is not a URL`,
      fix: 'Use the form redis://[:password@]host:port[/db], for example redis://127.0.0.1:6379/0.',
    });
  }
  if (!['redis:', 'rediss:', 'valkey:', 'valkeys:'].includes(parsed.protocol)) {
    throw new LabError({
      what: `VALKEY_URL "${maskUrl(url)}" has scheme "${parsed.protocol}"`,
      fix: 'Use redis://, rediss://, valkey:// or valkeys://, for example redis://127.0.0.1:6379/0.',
    });
  }
  if (!parsed.hostname) {
    throw new LabError({
      what: `VALKEY_URL "${maskUrl(url)}" has no host`,
      fix: 'Add one, for example redis://127.0.0.1:6379.',
    });
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new LabError({
      what: `VALKEY_URL "${maskUrl(url)}" names database "${db}"`,
      fix: 'A Valkey database is a number, for example redis://127.0.0.1:6379/0.',
    });
  }
}

function parseDbUrl(name: string, url: string, kind: EngineKind, fallbackPassword: string | undefined): DbTarget {
  const facts = engineFacts(kind);
  const schemes = facts.urlSchemes;
  const example = DEFAULTS[facts.urlVariable as 'MYSQL_URL' | 'PG_URL'];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LabError({ what: `${name} "${maskUrl(url)}" is not a URL`, fix: `Use the form ${example}.` });
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new LabError({
      what: `${name} "${maskUrl(url)}" has scheme "${parsed.protocol}"`,
      fix: `Use ${schemes.map((s) => `${s}//`).join(' or ')}, for example ${example}.`,
    });
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname || !database || !parsed.username) {
    throw new LabError({
      what: `${name} "${maskUrl(url)}" needs a user, a host and a database`,
      fix: `Use the form ${example}.`,
    });
  }
  const port = parsed.port ? Number(parsed.port) : facts.defaultPort;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    kind,
    host,
    port,
    database,
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : fallbackPassword,
    where: `${host}:${port}/${database}`,
  };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new LabError({
    what: `${name}="${value}" is not one of ${allowed.join(', ')}`,
    fix: `Set ${name} to ${allowed.join(' or ')} (in the environment or .env).`,
  });
}

function integer(name: string, value: string): number {
  if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  throw new LabError({
    what: `${name}="${value}" is not a whole number`,
    fix: `Set ${name} to an integer, for example ${DEFAULTS.LAB_SEED}.`,
  });
}

function date(name: string, value: string): Date {
  const parsed = new Date(value);
  if (!Number.isNaN(parsed.getTime())) return parsed;
  throw new LabError({
    what: `${name}="${value}" is not a date`,
    fix: `Use ISO 8601, for example ${DEFAULTS.LAB_CLOCK}.`,
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function definedOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}
