// CONFIG SET, FLUSHALL, FLUSHDB, DEBUG and ACL reach only servers the lab started: the guard refuses the rest,
// and no other code in the library sends them.

import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config';
import { LabError } from '../../src/errors';
import { adminCommand, connectValkey, connectValkeyUrl, startPrivateValkey } from '../../src/valkey';
import { isCluster } from '../../src/valkey/client';
import { ensureManagedValkey, privateCommand } from '../../src/valkey/server';

const ADMIN = ['CONFIG', 'FLUSHALL', 'FLUSHDB', 'DEBUG', 'ACL'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('server-wide commands', () => {
  it("are refused on the lab's configured Valkey (the managed one, or VALKEY_URL), which keeps its keys", async () => {
    const client = await connectValkey(loadConfig());
    try {
      await client.set('safety:canary', 'alive', 'EX', 60);
      for (const [command, ...args] of [
        ['CONFIG', 'SET', 'maxmemory', '1mb'],
        ['FLUSHALL'],
        ['FLUSHDB'],
        ['DEBUG', 'SLEEP', '0'],
        ['config', 'set', 'save', ''],
        ['ACL', 'SETUSER', 'intruder', 'on', 'nopass', '+@all', '~*'],
      ] as const) {
        const error = await adminCommand(client, command, ...args).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LabError);
        expect((error as LabError).message).toMatch(/only to servers it started itself/);
      }
      if (!isCluster(client)) {
        await expect(privateCommand(client, 'FLUSHALL')).rejects.toThrow(/only to servers it started itself/);
      }
      expect(await client.get('safety:canary')).toBe('alive');
      await client.del('safety:canary');
    } finally {
      client.disconnect();
    }
  });

  it('are refused on a Valkey another process started (a second managed server), even on loopback', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lab-safety-'));
    const { valkey } = await ensureManagedValkey(root); // daemonized: not a child of this process
    try {
      const client = await connectValkeyUrl(valkey.url);
      await expect(adminCommand(client, 'FLUSHALL')).rejects.toThrow(/only to servers it started itself/);
      client.disconnect();
    } finally {
      process.kill(valkey.pid, 'SIGTERM');
    }
  });

  it('reach a private server this process started, and only commands on the list', async () => {
    const server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-safety-private-')),
      removeDir: true,
    });
    const client = await connectValkeyUrl(server.url);
    try {
      await client.set('k', 'v');
      expect(await adminCommand(client, 'CONFIG', 'SET', 'maxmemory', '2mb')).toEqual(['OK']);
      expect(await adminCommand(client, 'ACL', 'SETUSER', 'reader', 'on', '>secret', '~k*', '+get')).toEqual(['OK']);
      expect(await adminCommand(client, 'FLUSHALL')).toEqual(['OK']);
      expect(await client.dbsize()).toBe(0);
      await expect(adminCommand(client, 'SHUTDOWN')).rejects.toThrow(
        /sends CONFIG, FLUSHALL, FLUSHDB, DEBUG, ACL only/,
      );
    } finally {
      client.disconnect();
      await server.stop();
    }
  });

  it('are sent nowhere else in the library (only the guard in valkey/server.ts sends them)', () => {
    const src = path.join(projectRoot(), 'src');
    const offenders: string[] = [];
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      const relative = path.relative(src, file);
      for (const [i, line] of text.split('\n').entries()) {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue; // comments may name them
        if (/['"]GET['"]/.test(line)) continue; // CONFIG GET only reads a setting
        if (/\b(adminCommand|privateCommand)\(/.test(line)) continue; // through the guard
        const method = /\.(config|flushall|flushdb|debug)\s*\(/i.test(line);
        const word = ADMIN.some((name) => new RegExp(`['"\`]${name}\\b`, 'i').test(line));
        if ((method || word) && relative !== path.join('valkey', 'server.ts'))
          offenders.push(`${relative}:${i + 1}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
