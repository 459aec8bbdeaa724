// Processes the lab owns (private servers, cluster nodes, workers): ended on close, on exit, and, after a hard kill, by the next lab.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { LabError } from '../errors';

/** Where each owned process leaves a record naming its owner, so an orphan can be found after a hard kill. */
export const OWNED_DIR = path.join('.lab', 'owned');

export interface OwnedRecord {
  /** The process that started it (a notebook kernel, a test, a script). */
  ownerPid: number;
  pid: number;
  kind: 'valkey-server' | 'worker';
  /** Text the process's command line contains, so a reused pid is never mistaken for it. */
  match: string;
  /** A folder to remove with it (a private server's data), if any. */
  dir?: string;
  startedAt: string;
}

const live = new Map<number, { child: ChildProcess; recordFile: string; dir?: string }>();
let handlersInstalled = false;

/** Kills every owned child at once (SIGKILL): the only thing an exiting process can still do synchronously. */
function killAllNow(): void {
  for (const [pid, { child, recordFile, dir }] of live) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(recordFile, { force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  // SIGINT is left alone: Jupyter sends it to interrupt a cell, not to end the kernel.
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAllNow();
      // We were the only listener: do what the signal would have done without us.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/**
 * Records `child` as owned by this process: killed when this process exits or is terminated, and
 * listed under `.lab/owned/` until it ends. Returns the function that forgets it (after it ended).
 */
export function own(
  child: ChildProcess,
  record: Pick<OwnedRecord, 'kind' | 'match' | 'dir'>,
  root = projectRoot(),
): () => void {
  const pid = child.pid;
  if (pid === undefined) throw new LabError({ what: `Could not start ${record.kind} (${record.match})` });
  installExitHandlers();
  const dir = path.join(root, OWNED_DIR);
  mkdirSync(dir, { recursive: true });
  const recordFile = path.join(dir, `${process.pid}-${pid}.json`);
  const full: OwnedRecord = { ownerPid: process.pid, pid, ...record, startedAt: new Date().toISOString() };
  writeFileSync(recordFile, `${JSON.stringify(full, null, 2)}\n`);
  live.set(pid, { child, recordFile, dir: record.dir });
  const forget = () => {
    live.delete(pid);
    rmSync(recordFile, { force: true });
  };
  child.once('exit', forget);
  return forget;
}

/** Pids of the children this process owns and that are still running. */
export function ownedPids(): number[] {
  return [...live.keys()];
}

/** True while a process with this pid exists (zombies included: they are reaped by their parent). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

function readRecord(file: string): OwnedRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OwnedRecord;
  } catch {
    return undefined;
  }
}

/**
 * Ends the processes whose owner is gone (a kernel killed with SIGKILL runs no handler) and forgets
 * their records. A record whose process already ended, or whose pid now runs something else, is just
 * removed. Returns what was ended.
 */
export function reapOrphans(root = projectRoot()): OwnedRecord[] {
  const dir = path.join(root, OWNED_DIR);
  if (!existsSync(dir)) return [];
  const reaped: OwnedRecord[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const file = path.join(dir, name);
    const record = readRecord(file);
    if (record && isAlive(record.ownerPid)) continue;
    if (record && isAlive(record.pid)) {
      const cmd = commandLine(record.pid);
      if (cmd === undefined || cmd.includes(record.match)) {
        try {
          process.kill(record.pid, 'SIGKILL');
          reaped.push(record);
        } catch {
          // ended meanwhile
        }
      }
    }
    if (record?.dir) rmSync(record.dir, { recursive: true, force: true });
    rmSync(file, { force: true });
  }
  return reaped;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Worker {
  pid: number;
  /** Lines the worker printed so far (stdout and stderr, in arrival order). */
  readonly lines: readonly string[];
  /** Resolves when the worker has ended, with its exit code or the signal that ended it. */
  readonly exited: Promise<WorkerExit>;
  /** Sends a signal (default SIGTERM); resolves once the worker has ended. */
  kill(signal?: NodeJS.Signals): Promise<WorkerExit>;
  /** Waits for the worker to end on its own. */
  wait(): Promise<WorkerExit>;
}

/**
 * Starts a background Node process running `scriptPath` (a .ts file runs through tsx) with `args`.
 * The lab owns it: it ends with `lab.close()`, with this process, or at the next lab after a hard kill.
 */
export function startWorker(
  scriptPath: string,
  args: readonly string[] = [],
  options: {
    env?: NodeJS.ProcessEnv;
    root?: string;
    /** Called with each line as it arrives, e.g. to follow a worker's progress. */
    onLine?: (line: string, from: 'stdout' | 'stderr') => void;
  } = {},
): Worker {
  const root = options.root ?? projectRoot();
  const script = path.resolve(root, scriptPath);
  if (!existsSync(script)) {
    throw new LabError({
      what: `No worker script ${scriptPath}`,
      where: root,
      fix: 'Give a path relative to the project.',
    });
  }
  const loader = /\.[mc]?ts$/.test(script) ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, script, ...args], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  own(child, { kind: 'worker', match: script }, root);
  const lines: string[] = [];
  const take = (line: string, from: 'stdout' | 'stderr') => {
    lines.push(line);
    options.onLine?.(line, from);
  };
  for (const [stream, from] of [
    [child.stdout, 'stdout'],
    [child.stderr, 'stderr'],
  ] as const) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) take(line, from);
    });
    stream?.on('end', () => {
      if (rest) take(rest, from);
    });
  }
  const exited = new Promise<WorkerExit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    pid: child.pid!,
    lines,
    exited,
    wait: () => exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
