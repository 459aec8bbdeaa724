// The lab's own Valkey asks for a password: a connection without it is refused, the lab's works, set-up stays idempotent.

import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, maskUrl } from '../../src/config';
import { LabError } from '../../src/errors';
import { connectValkey, connectValkeyUrl } from '../../src/valkey';
import { ensureManagedValkey, rawCommand } from '../../src/valkey/server';

describe("the managed Valkey's password", () => {
  it('refuses a connection without the password and serves the lab with it (the configured server)', async () => {
    const config = loadConfig();
    if (config.valkey.source !== 'managed') return expect(config.valkey.source).toBe('env'); // VALKEY_URL is the learner's own
    const { url, password } = config.valkey;
    expect(password).toBeTruthy();
    const port = Number(new URL(url!).port);
    expect(await rawCommand(port, 'PING')).toMatch(/^-NOAUTH/);
    expect(await rawCommand(port, 'GET faults:anything')).toMatch(/^-NOAUTH/);
    expect(await rawCommand(port, 'PING', 1_000, 'not-the-password')).toMatch(/^-WRONGPASS/);

    // A client without the password: refused at connect time, with a line that says so.
    const stranger = await connectValkeyUrl(`redis://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(stranger).toBeInstanceOf(LabError);
    expect((stranger as LabError).message).toMatch(/refused the credentials.*NOAUTH/);

    const lab = await connectValkey(config);
    try {
      await lab.set('access:probe', 'ok', 'EX', 30);
      expect(await lab.get('access:probe')).toBe('ok');
      await lab.del('access:probe');
    } finally {
      lab.disconnect();
    }
    // Never printed: the description and the masked URL hide it.
    expect(JSON.stringify(describeConfig(config))).not.toContain(password!);
    expect(maskUrl(url!)).not.toContain(password!);
    expect(maskUrl(url!)).toContain(':***@');
  });

  it('a wrong password gives one clear line that names the server and hides the password', async () => {
    const config = loadConfig();
    if (config.valkey.source !== 'managed') return;
    const wrong = new URL(config.valkey.url!);
    wrong.password = 'wrong-secret';
    const error = await connectValkeyUrl(wrong.toString()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(String((error as LabError).message)).not.toContain('wrong-secret');
    expect((error as LabError).where).toBe(`127.0.0.1:${wrong.port}`);
  });

  it('set-up restarts an unprotected managed server with the password, then reuses it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lab-access-'));
    mkdirSync(path.join(root, '.lab'));
    const open = await ensureManagedValkey(root);
    const pids = [open.valkey.pid];
    try {
      expect(await rawCommand(open.valkey.port, 'PING')).toMatch(/^\+PONG/);
      const guarded = await ensureManagedValkey(root, 's3cret "with" quotes\\ and spaces');
      pids.push(guarded.valkey.pid);
      expect(guarded.started).toBe(true);
      expect(guarded.valkey.port).toBe(open.valkey.port);
      expect(guarded.valkey.pid).not.toBe(open.valkey.pid);
      expect(await rawCommand(guarded.valkey.port, 'PING')).toMatch(/^-NOAUTH/);
      // The password is in neither the record nor the command line; its file is the owner's alone.
      expect(readFileSync(path.join(root, '.lab', 'valkey.json'), 'utf8')).not.toContain('s3cret');
      expect(readFileSync(`/proc/${guarded.valkey.pid}/cmdline`, 'utf8')).not.toContain('s3cret');
      expect(statSync(path.join(root, '.lab', 'valkey', 'valkey-auth.conf')).mode & 0o077).toBe(0);

      const again = await ensureManagedValkey(root, 's3cret "with" quotes\\ and spaces');
      expect(again).toEqual({ valkey: guarded.valkey, started: false });

      const config = loadConfig({ env: { LAB_VALKEY_PASSWORD: 's3cret "with" quotes\\ and spaces' }, root });
      const client = await connectValkey(config);
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
    } finally {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already ended (the restart stopped the first one)
        }
      }
    }
  });
});
