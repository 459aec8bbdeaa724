// The shell commands that reach the lab's own servers from a terminal, built from the configuration, never with a password.

import type { DbTarget, LabConfig } from '../config';
import type { Flavor } from '../db/engine';
import { valkeyBinary } from '../valkey/binaries';

export interface TerminalCommand {
  /** Which server the command reaches, e.g. `PostgreSQL` or `Valkey`. */
  server: string;
  /** The command line, ready to paste; it holds no password. */
  command: string;
  /** Where the password is kept (or that there is none), and what else to know. */
  note: string;
}

/** The client for a MySQL server; for MariaDB (or when the flavor is not known) the `mariadb` client is the default. */
const MYSQL_SIDE: Partial<Record<Flavor, { client: string; server: string }>> = {
  mysql: { client: 'mysql', server: 'MySQL' },
};

/**
 * The `mariadb`/`mysql`, `psql` and `valkey-cli` commands that reach the servers this configuration names,
 * as the lab user, in the lab's database. Passwords are never part of a command: the clients ask for them
 * (`-p`, psql's prompt, `valkey-cli --askpass`) and the note says where they are kept.
 * `flavor` picks the MariaDB or the MySQL client (both read the same options); `valkey-cli` is VALKEY_CLI_BIN's
 * when that is set, so the command runs the same Valkey as the lab.
 */
export function terminalCommands(config: LabConfig, flavor?: Flavor): TerminalCommand[] {
  const commands: TerminalCommand[] = [];
  const mysqlSide = (flavor && MYSQL_SIDE[flavor]) ?? { client: 'mariadb', server: 'MariaDB' };
  commands.push({
    server: mysqlSide.server,
    command: [mysqlSide.client, '-h', config.mysql.host, '-P', String(config.mysql.port), '-u', config.mysql.user]
      .concat(config.mysql.password ? ['-p'] : [])
      .concat([config.mysql.database])
      .map(shellWord)
      .join(' '),
    note: passwordNote(config.mysql, 'MYSQL_URL', 'asks for it (-p)'),
  });
  commands.push({
    server: 'PostgreSQL',
    command: ['psql', '-h', config.postgres.host, '-p', String(config.postgres.port), '-U', config.postgres.user]
      .concat(['-d', config.postgres.database])
      .map(shellWord)
      .join(' '),
    note: passwordNote(config.postgres, 'PG_URL', 'asks for it'),
  });
  const valkey = valkeyCommand(config);
  if (valkey) commands.push(valkey);
  return commands;
}

function passwordNote(target: DbTarget, urlVariable: string, how: string): string {
  if (!target.password) return `no password is set for ${target.user}`;
  return `the client ${how}: the password is LAB_DB_PASSWORD in .env (or the one inside ${urlVariable})`;
}

function valkeyCommand(config: LabConfig): TerminalCommand | undefined {
  const seed = config.valkey.clusterNodes?.[0];
  if (seed) {
    // -c follows MOVED redirections, so any node of the cluster will do as the first one.
    return {
      server: 'Valkey Cluster',
      command: [valkeyBinary('cli'), '-c', '-h', seed.host, '-p', String(seed.port)].map(shellWord).join(' '),
      note: `one seed node of VALKEY_CLUSTER_NODES; the lab's keys start with ${config.valkey.keyPrefix}`,
    };
  }
  if (!config.valkey.url) return undefined;
  const url = new URL(config.valkey.url);
  const words = [valkeyBinary('cli'), '-h', url.hostname.replace(/^\[|\]$/g, ''), '-p', url.port || '6379'];
  if (url.username && url.username !== 'default') words.push('--user', decodeURIComponent(url.username));
  const db = url.pathname.replace(/^\//, '');
  if (db && db !== '0') words.push('-n', db);
  const kept =
    config.valkey.source === 'managed'
      ? 'LAB_VALKEY_PASSWORD in .env, which set-up generated'
      : 'the one inside VALKEY_URL (in .env or the environment)';
  if (url.password) words.push('--askpass');
  const where =
    config.valkey.source === 'managed' ? 'the Valkey set-up started for the lab' : 'the Valkey of VALKEY_URL';
  return {
    server: 'Valkey',
    command: words.map(shellWord).join(' '),
    note:
      `${where}; ` +
      (url.password
        ? `--askpass asks for the password, ${kept}; or put it in REDISCLI_AUTH and leave out --askpass`
        : 'no password is set') +
      `; the lab's keys start with ${config.valkey.keyPrefix}`,
  };
}

/** A word the shell reads as itself: plain words stay as they are, others go in single quotes. */
function shellWord(word: string): string {
  return /^[\w.,:@/%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
