import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, MANAGED_VALKEY_FILE } from '../../src/config';
import { terminalCommands } from '../../src/show/terminal';
import { scratchDir } from '../support/scratch';

const SECRET = 'pa55-word-never-shown';

function emptyRoot(): string {
  return scratchDir('terminal');
}

describe('terminal commands', () => {
  it('names host, port, lab user and database, and says where the password is kept without showing it', () => {
    const config = loadConfig({
      env: {
        LAB_DB_PASSWORD: SECRET,
        MYSQL_URL: 'mysql://flughafen_user@127.0.0.1:3307/flughafendb_x',
        PG_URL: 'postgres://flughafen_user@127.0.0.1:5433/flughafendb_x',
        VALKEY_URL: `redis://:${SECRET}@127.0.0.1:6390/2`,
      },
      root: emptyRoot(),
    });
    const commands = terminalCommands(config, 'mariadb');
    expect(commands.map((c) => c.command)).toEqual([
      'mariadb -h 127.0.0.1 -P 3307 -u flughafen_user -p flughafendb_x',
      'psql -h 127.0.0.1 -p 5433 -U flughafen_user -d flughafendb_x',
      'valkey-cli -h 127.0.0.1 -p 6390 -n 2 --askpass',
    ]);
    expect(JSON.stringify(commands)).not.toContain(SECRET);
    expect(commands[0]!.note).toContain('LAB_DB_PASSWORD in .env');
    expect(commands[2]!.note).toContain('VALKEY_URL');
  });

  it("points at the managed Valkey's port and set-up's record of it", () => {
    const root = emptyRoot();
    mkdirSync(path.join(root, '.lab'));
    writeFileSync(path.join(root, MANAGED_VALKEY_FILE), JSON.stringify({ url: 'redis://127.0.0.1:41234' }));
    const [, , valkey] = terminalCommands(loadConfig({ env: { LAB_VALKEY_PASSWORD: SECRET }, root }), 'mysql');
    expect(valkey!.command).toBe('valkey-cli -h 127.0.0.1 -p 41234 --askpass');
    expect(valkey!.note).toContain('LAB_VALKEY_PASSWORD');
    expect(JSON.stringify(valkey)).not.toContain(SECRET);
    expect(terminalCommands(loadConfig({ env: {}, root }), 'mysql')[0]!.command).toMatch(/^mysql /);
  });

  it("reaches the lab's running Valkey: the command works as printed", () => {
    const config = loadConfig();
    const valkey = terminalCommands(config).find((c) => c.server === 'Valkey');
    expect(valkey).toBeDefined();
    // Where the command asks for a password, give it the way the note says: REDISCLI_AUTH instead of a prompt.
    const [binary, ...args] = valkey!.command.split(' ').filter((word) => word !== '--askpass');
    const env = { ...process.env, REDISCLI_AUTH: config.valkey.password ?? '' };
    expect(execFileSync(binary!, [...args, 'PING'], { encoding: 'utf8', env }).trim()).toBe('PONG');
  });
});
