// Valkey servers the lab starts itself: the managed one set-up keeps running, and private throwaway ones.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MANAGED_VALKEY_FILE, readManagedValkey, type ManagedValkey } from '../config';
import { LabError } from '../errors';

export const VALKEY_INSTALL_HINT =
  'On Debian 12, add "deb http://deb.debian.org/debian bookworm-backports main" to the apt sources and run ' +
  '`apt-get install -t bookworm-backports valkey-server valkey-tools` (npm run setup does this when it runs as root); ' +
  'elsewhere see https://valkey.io/download, or set VALKEY_URL to a running server.';

/** The valkey-server binary (VALKEY_SERVER_BIN overrides), or a LabError saying how to install it. */
export function valkeyServerBinary(env: Record<string, string | undefined> = process.env): string {
  const candidate = env.VALKEY_SERVER_BIN ?? 'valkey-server';
  try {
    execFileSync(candidate, ['--version'], { stdio: 'pipe' });
    return candidate;
  } catch {
    throw new LabError({
      what: `${candidate} is not installed (needed to start a Valkey for the lab)`,
      fix: VALKEY_INSTALL_HINT,
    });
  }
}

/** A loopback TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Sends one inline command over a raw socket and returns the first reply line ('' when nothing answers). */
export async function rawCommand(port: number, command: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const finish = () => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(timeoutMs, finish);
    socket.on('error', finish);
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish();
    });
  });
}

async function waitUntilReady(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await rawCommand(port, 'PING', 500)).startsWith('+PONG')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new LabError({ what: 'A Valkey the lab started did not answer PING within 10 s', where: `127.0.0.1:${port}` });
}

export interface StartOptions {
  /** Data, log and pid files go here. */
  dir: string;
  /** Default: a free port. */
  port?: number;
  /** Extra configuration, e.g. `{ maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru' }`. */
  config?: Record<string, string>;
}

function serverArgs(options: StartOptions & { port: number }, daemonize: boolean): string[] {
  const settings: Record<string, string> = {
    port: String(options.port),
    bind: '127.0.0.1',
    'protected-mode': 'yes',
    dir: path.resolve(options.dir),
    save: '',
    appendonly: 'no',
    daemonize: daemonize ? 'yes' : 'no',
    pidfile: path.resolve(options.dir, 'valkey.pid'),
    logfile: path.resolve(options.dir, 'valkey.log'),
    ...options.config,
  };
  return Object.entries(settings).flatMap(([k, v]) => [`--${k}`, v]);
}

export interface PrivateValkey {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway valkey-server as a child of this process, on a free loopback port. The lab may
 * CONFIG SET or FLUSHALL it freely (it is nobody else's); it stops with `stop()` or when this process exits.
 */
export async function startPrivateValkey(options: StartOptions): Promise<PrivateValkey> {
  const binary = valkeyServerBinary();
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const child: ChildProcess = spawn(binary, serverArgs({ ...options, port }, false), { stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  await waitUntilReady(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** True when the managed record points at a live Valkey that is the very process we started. */
async function isOurs(record: ManagedValkey): Promise<boolean> {
  const info = await rawCommand(record.port, 'INFO server');
  return /server_name:valkey/.test(info) && new RegExp(`process_id:${record.pid}\\b`).test(info);
}

/**
 * Makes sure the Valkey that set-up manages is running: reuses the recorded one when it is alive and
 * ours (a Redis on some port is never mistaken for it), otherwise starts one daemonized on a free
 * loopback port with its files under `.lab/valkey`, and records it.
 */
export async function ensureManagedValkey(root: string): Promise<{ valkey: ManagedValkey; started: boolean }> {
  const recorded = readManagedValkey(root);
  if (recorded && (await isOurs(recorded))) return { valkey: recorded, started: false };

  const binary = valkeyServerBinary();
  const dir = path.join(root, '.lab', 'valkey');
  mkdirSync(dir, { recursive: true });
  const portIsFree = recorded && (await rawCommand(recorded.port, 'PING', 300)) === '';
  const port = portIsFree ? recorded.port : await freePort();
  // daemonize=yes: the server outlives set-up and serves later commands and notebooks.
  execFileSync(binary, serverArgs({ dir, port }, true), { stdio: 'pipe' });
  await waitUntilReady(port);
  const pidFile = path.join(dir, 'valkey.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : -1;
  const valkey: ManagedValkey = { url: `redis://127.0.0.1:${port}`, port, pid, dir: path.relative(root, dir) };
  writeFileSync(path.join(root, MANAGED_VALKEY_FILE), `${JSON.stringify(valkey, null, 2)}\n`);
  return { valkey, started: true };
}
