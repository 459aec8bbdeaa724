// Valkey servers the lab starts itself: the managed one set-up keeps running, and private throwaway ones.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type Redis from 'iovalkey';
import { MANAGED_VALKEY_FILE, readManagedValkey, type ManagedValkey } from '../config';
import { LabError } from '../errors';
import { valkeyBinary } from './binaries';
import { isCluster, nodeAddress, type ValkeyClient } from './client';
import { parseInfo } from './info';
import { answerText, askServer, portTaken } from './probe';
import { own } from './processes';

export const VALKEY_INSTALL_HINT =
  "On Debian 12, add your Debian mirror's bookworm-backports suite to the apt sources and run " +
  '`apt-get install -t bookworm-backports valkey-server valkey-tools` (npm run setup does both when it runs as root); ' +
  'elsewhere see the README ("Valkey 9.1"), or set VALKEY_URL to a running server.';

/** The valkey-server binary (VALKEY_SERVER_BIN overrides), or a LabError saying how to install it. */
export function valkeyServerBinary(env: Record<string, string | undefined> = process.env): string {
  const candidate = valkeyBinary('server', env);
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

/**
 * Sends one command (words separated by spaces) to the server on `port` and returns its reply as one text: `+` and
 * the reply (an array's items one a line), `-` and the message of an error reply, '' when nothing answers. With
 * `password`, AUTH goes first; a refused AUTH is the reply (`-WRONGPASS …`).
 */
export async function rawCommand(port: number, command: string, timeoutMs = 1_000, password?: string): Promise<string> {
  const answer = await askServer(port, command.split(' '), {
    timeoutMs,
    ...(password !== undefined ? { password } : {}),
  });
  if (!answer.answered) return '';
  return 'error' in answer ? answerText(answer) : `+${answerText(answer)}`;
}

export async function waitUntilReady(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A server that asks for a password is up too: it answers -NOAUTH.
    const answer = await askServer(port, ['PING'], { timeoutMs: 500 });
    if (answer.answered && ('error' in answer ? answer.error.startsWith('NOAUTH') : answer.reply === 'PONG')) return;
    // Often: a restart's time to its first PONG is a figure the lab reports.
    await new Promise((r) => setTimeout(r, 10));
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
  /** The valkey-server to run (default: valkeyServerBinary(), i.e. VALKEY_SERVER_BIN or PATH's). */
  binary?: string;
  /** A configuration file read first (e.g. one holding `requirepass`, so the password is not on the command line). */
  configFile?: string;
}

export function serverArgs(options: StartOptions & { port: number }, daemonize: boolean): string[] {
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
  /** Ends the server (SIGTERM, then SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Ends the server at once with SIGKILL, as a crash would: no last save, no AOF flush. Its files stay (for a
   * restart from them); `stop()` still removes them. Resolves once the process is gone.
   */
  crash(): Promise<void>;
}

/** Servers this process started itself (port → pid): the only ones adminCommand talks to. */
const startedHere = new Map<number, number>();

/** Ends a child process: SIGTERM, then SIGKILL when it has not ended within `graceMs`. */
export async function endChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns valkey-server as a child of this process with `args`, owned by it (see processes.ts), and
 * remembers it as started here so adminCommand may reach it.
 */
export function spawnOwnedValkey(
  args: string[],
  port: number,
  dir?: string,
  binary: string = valkeyServerBinary(),
): ChildProcess {
  const child = spawn(binary, args, { stdio: 'ignore' });
  // valkey-server shows itself as `valkey-server 127.0.0.1:<port>` in the process list.
  own(child, { kind: 'valkey-server', match: `:${port}`, dir });
  if (child.pid !== undefined) startedHere.set(port, child.pid);
  child.once('exit', () => startedHere.delete(port));
  return child;
}

/**
 * Starts a throwaway valkey-server as a child of this process, on a free loopback port. The lab may
 * CONFIG SET or FLUSHALL it freely (it is nobody else's); it stops with `stop()` or when this process
 * exits (after a hard kill, the next `openLab()` or `reapOrphans()` ends it).
 */
export async function startPrivateValkey(options: StartOptions & { removeDir?: boolean }): Promise<PrivateValkey> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const args = serverArgs({ ...options, port }, false);
  const child = spawnOwnedValkey(
    options.configFile ? [path.resolve(options.configFile), ...args] : args,
    port,
    options.removeDir ? path.resolve(options.dir) : undefined,
    options.binary,
  );
  // A server that rejects its settings ends at once: say so then, rather than after waiting for its PONG.
  let onExit: (() => void) | undefined;
  const endedEarly = new Promise<never>((_, reject) => {
    onExit = () =>
      reject(
        new LabError({
          what: `valkey-server ended as it started (exit code ${child.exitCode ?? child.signalCode}): a setting it was given is wrong, or it cannot use its folder`,
          where: `127.0.0.1:${port}, settings ${JSON.stringify(options.config ?? {})}`,
          fix: 'Check each setting against valkey.conf (a name or value it does not know stops it).',
        }),
      );
    child.once('exit', onExit);
  });
  try {
    await Promise.race([waitUntilReady(port), endedEarly]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    if (onExit) child.removeListener('exit', onExit);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: async () => {
      await endChild(child);
      if (options.removeDir) rmSync(options.dir, { recursive: true, force: true });
    },
    crash: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The commands that change or wipe a whole server, or its users: sent only through adminCommand. */
const ADMIN_COMMANDS = ['CONFIG', 'FLUSHALL', 'FLUSHDB', 'DEBUG', 'ACL'];

/**
 * The one way the lab sends CONFIG SET, FLUSHALL, FLUSHDB, DEBUG or ACL: only to servers this process
 * started itself (a private server, a local cluster the lab started), checked by port and process id;
 * the learner's Valkey (the managed one, VALKEY_URL) is refused with a LabError. On a cluster CONFIG
 * goes to every node, the others to every primary. Returns each node's reply.
 */
export async function adminCommand(
  client: ValkeyClient,
  command: string,
  ...args: Array<string | number>
): Promise<unknown[]> {
  const name = command.toUpperCase();
  if (!ADMIN_COMMANDS.includes(name)) {
    throw new LabError({
      what: `adminCommand sends ${ADMIN_COMMANDS.join(', ')} only, not ${name}`,
      fix: 'Send other commands on the client itself.',
    });
  }
  const nodes: Redis[] = isCluster(client) ? client.nodes(name === 'CONFIG' ? 'all' : 'master') : [client];
  const label = [name, args[0]].filter((x) => x !== undefined).join(' ');
  for (const node of nodes) await assertStartedHere(node, label);
  return Promise.all(nodes.map((node) => node.call(name, ...args.map(String))));
}

/**
 * Sends any command (the admin ones included) on a connection to a server this process started, whichever user that
 * connection logged in as: the way the lab shows an ACL user being refused FLUSHALL or CONFIG. The server is
 * checked as adminCommand checks it, but through a connection of its own (the user under test may not run INFO);
 * a connection to any other Valkey is refused with a LabError before anything is sent.
 */
export async function privateCommand(
  client: Redis,
  command: string,
  ...args: Array<string | number>
): Promise<unknown> {
  const port = client.options.port ?? 6379;
  const host = client.options.host ?? '127.0.0.1';
  const pid = startedHere.get(port);
  const serverPid = /process_id:(\d+)/.exec(await rawCommand(port, 'INFO server'))?.[1];
  if (!['127.0.0.1', 'localhost'].includes(host) || pid === undefined || Number(serverPid) !== pid) {
    throw new LabError({
      what: `The lab sends ${command.toUpperCase()} this way only to servers it started itself, and this Valkey is not one`,
      where: `${host}:${port}`,
      fix: 'Start a private server (lab.privateValkey()) and connect to that one.',
    });
  }
  return client.call(command, ...args.map(String));
}

async function assertStartedHere(node: Redis, label: string): Promise<void> {
  const where = nodeAddress(node);
  const refuse = () =>
    new LabError({
      what: `The lab sends ${label} only to servers it started itself, and this Valkey is not one`,
      where,
      fix: 'Ask the lab for a private server (lab.privateValkey()) or a local cluster (lab.localCluster()) and reconfigure that one.',
    });
  const host = node.options.host ?? '127.0.0.1';
  const pid = startedHere.get(node.options.port ?? 6379);
  if (!['127.0.0.1', 'localhost'].includes(host) || pid === undefined) throw refuse();
  // The port alone could now belong to another server: the process answering must be the one we started.
  const serverPid = Number(parseInfo(await node.info('server')).server.process_id);
  if (serverPid !== pid) throw refuse();
}

/**
 * The managed record's live Valkey, when it is the very process we started: its version. Undefined when
 * nothing answers there or another server does.
 */
async function ourVersion(record: ManagedValkey, password: string | undefined): Promise<string | undefined> {
  let info = await rawCommand(record.port, 'INFO server');
  if (info.startsWith('-NOAUTH') && password !== undefined)
    info = await rawCommand(record.port, 'INFO server', 1_000, password);
  if (!/server_name:valkey/.test(info) || !new RegExp(`process_id:${record.pid}\\b`).test(info)) return undefined;
  return /valkey_version:([\d.]+)/.exec(info)?.[1] ?? '';
}

/** The release a valkey-server binary says it is (`--version`: `Valkey server v=9.1.2 ...`). */
export function binaryVersion(binary: string): string | undefined {
  return /\bv=([\d.]+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }))?.[1];
}

/** True when the server on `port` asks for exactly `password` (or, without one, for none). */
async function guardedAs(port: number, password: string | undefined): Promise<boolean> {
  const open = await rawCommand(port, 'PING');
  if (password === undefined) return open.startsWith('+PONG');
  return open.startsWith('-NOAUTH') && (await rawCommand(port, 'PING', 1_000, password)).startsWith('+PONG');
}

/** Ends the managed server we recorded (it is ours: checked by the caller) and waits until its port is quiet. */
async function stopManaged(record: ManagedValkey): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(record.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let waited = 0; await portTaken(record.port); waited += 100) {
    if (waited === 5_000) signal('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Makes sure the Valkey that set-up manages is running: reuses the recorded one when it is alive, ours
 * (a Redis on some port is never mistaken for it) and of the release of `valkeyServerBinary()` (so
 * VALKEY_SERVER_BIN pointing at another Valkey restarts it on that one), otherwise starts one daemonized on a free
 * loopback port with its files under `.lab/valkey`, and records it. With `password` the server asks
 * for it (requirepass, kept in a configuration file only its owner may read, so it never shows in
 * the process list); a recorded server that asks for no password, or another one, is restarted with it.
 * The record holds no password: the configuration adds LAB_VALKEY_PASSWORD to the URL.
 */
export async function ensureManagedValkey(
  root: string,
  password?: string,
): Promise<{ valkey: ManagedValkey; started: boolean }> {
  const binary = valkeyServerBinary();
  const recorded = readManagedValkey(root);
  const running = recorded && (await ourVersion(recorded, password));
  if (recorded && running !== undefined) {
    // Reused only as it should be: asking for this password, and the release VALKEY_SERVER_BIN (or PATH) has.
    const current = (await guardedAs(recorded.port, password)) && running === binaryVersion(binary);
    if (current) return { valkey: recorded, started: false };
    await stopManaged(recorded);
  }

  const dir = path.join(root, '.lab', 'valkey');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const portIsFree = recorded && !(await portTaken(recorded.port));
  const port = portIsFree ? recorded.port : await freePort();
  const secrets = path.join(dir, 'valkey-auth.conf');
  rmSync(secrets, { force: true });
  if (password !== undefined)
    writeFileSync(secrets, `requirepass "${password.replace(/["\\]/g, '\\$&')}"\n`, { mode: 0o600 });
  // daemonize=yes: the server outlives set-up and serves later commands and notebooks.
  const args = serverArgs({ dir, port }, true);
  execFileSync(binary, password !== undefined ? [secrets, ...args] : args, { stdio: 'pipe' });
  await waitUntilReady(port);
  const pidFile = path.join(dir, 'valkey.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : -1;
  const valkey: ManagedValkey = { url: `redis://127.0.0.1:${port}`, port, pid, dir: path.relative(root, dir) };
  writeFileSync(path.join(root, MANAGED_VALKEY_FILE), `${JSON.stringify(valkey, null, 2)}\n`);
  return { valkey, started: true };
}

/** The process id of the valkey-server this process started on `port`, if it did and it still runs. */
export function startedHerePid(port: number): number | undefined {
  return startedHere.get(port);
}
