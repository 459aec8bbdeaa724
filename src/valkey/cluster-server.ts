// A local Valkey Cluster on free loopback ports: started for a notebook or a test (owned), or for the learner by `npm run cluster`.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSeed } from '../config';
import { LabError, errorMessage } from '../errors';
import { answerText, askServer, portTaken } from './probe';
import { isAlive } from './processes';
import { endChild, freePort, serverArgs, spawnOwnedValkey, valkeyServerBinary, waitUntilReady } from './server';

/** Where `npm run cluster` keeps the learner's cluster (git-ignored). */
export const LOCAL_CLUSTER_DIR = path.join('.lab', 'cluster');

export interface ClusterNodeProcess {
  host: string;
  port: number;
  pid: number;
  role: 'primary' | 'replica';
}

export interface LocalCluster {
  /** Folder with one sub-folder of data per node, and cluster.json. */
  dir: string;
  nodes: ClusterNodeProcess[];
  /** The primaries, to connect with (`connectValkeyCluster(cluster.seeds)`). */
  seeds: ClusterSeed[];
  /** `VALKEY_CLUSTER_NODES=...`, the line that points the lab at this cluster. */
  envLine: string;
  /** Seconds from the first spawn until every node reported cluster_state:ok. */
  startSeconds: number;
  /** Ends every node (safe to call twice). */
  stop(): Promise<void>;
}

export interface LocalClusterOptions {
  dir: string;
  /** Default 3, the fewest a cluster accepts. */
  primaries?: number;
  /** Replicas per primary: 0 (default) or 1. */
  replicas?: 0 | 1;
  /**
   * `owned` (default): children of this process, ended with it (a notebook, a test). `detached`: they
   * outlive it (the learner's cluster from `npm run cluster -- start`), stopped by `stopLocalCluster`.
   */
  lifetime?: 'owned' | 'detached';
  /** The valkey-server to run (default: VALKEY_SERVER_BIN, or PATH's); `cli` is not needed (kept for callers). */
  binaries?: { server?: string; cli?: string };
}

const CLUSTER_FILE = 'cluster.json';

interface ClusterRecord {
  nodes: ClusterNodeProcess[];
  startedAt: string;
}

/**
 * Starts `primaries × (1 + replicas)` cluster-enabled valkey-servers on free loopback ports, joins them (what
 * `valkey-cli --cluster create` does, through iovalkey), and waits until every node says cluster_state:ok.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicas ?? 0;
  if (primaries < 3) throw new LabError({ what: `A cluster needs at least 3 primaries, not ${primaries}` });
  const binary = options.binaries?.server ?? valkeyServerBinary();
  const dir = path.resolve(options.dir);
  const started = Date.now();
  const count = primaries * (1 + replicas);
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    // The cluster bus listens on port + 10000: both must be free and below 65536.
    if (port + 10_000 < 65_536 && !ports.includes(port) && !(await portTaken(port + 10_000, 100))) ports.push(port);
  }
  const children: ChildProcess[] = [];
  const stopAll = async () => {
    await Promise.all(children.map((c) => endChild(c)));
  };
  try {
    for (const port of ports) {
      const nodeDir = path.join(dir, String(port));
      rmSync(nodeDir, { recursive: true, force: true });
      mkdirSync(nodeDir, { recursive: true });
      const args = serverArgs(
        {
          dir: nodeDir,
          port,
          config: {
            'cluster-enabled': 'yes',
            'cluster-config-file': 'nodes.conf',
            'cluster-node-timeout': '5000',
            // A new replica syncs at once rather than after the default 5 s wait for more replicas.
            'repl-diskless-sync-delay': '0',
          },
        },
        false,
      );
      if (options.lifetime === 'detached') {
        const child = spawn(binary, args, { stdio: 'ignore', detached: true });
        child.unref();
        children.push(child);
      } else {
        children.push(spawnOwnedValkey(args, port, nodeDir, binary));
      }
    }
    await Promise.all(ports.map((port) => waitUntilReady(port)));
    await joinCluster(ports, primaries).catch((error: unknown) => {
      throw new LabError({ what: `Could not join the local cluster (${errorMessage(error)})`, where: dir });
    });
    await waitForClusterOk(ports);
    // A replica shows in the slot map (where clients learn of it) only once it has synced.
    await waitForReplicasInSync(ports, primaries * replicas);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const nodes = await describeNodes(ports, children);
  const record: ClusterRecord = { nodes, startedAt: new Date(started).toISOString() };
  writeFileSync(path.join(dir, CLUSTER_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return clusterView(dir, nodes, (Date.now() - started) / 1000, async () => {
    await stopAll();
    rmSync(path.join(dir, CLUSTER_FILE), { force: true });
    for (const port of ports) rmSync(path.join(dir, String(port)), { recursive: true, force: true });
  });
}

/** One command to a node; its error reply thrown. */
async function ask(port: number, args: readonly string[]): Promise<unknown> {
  const answer = await askServer(port, args, { timeoutMs: 5_000 });
  if (!answer.answered) throw new Error(`127.0.0.1:${port} did not answer ${args[0]}`);
  if ('error' in answer) throw new Error(`127.0.0.1:${port}: ${args.join(' ')}: ${answer.error}`);
  return answer.reply;
}

/**
 * Joins fresh nodes into one cluster: the first `primaries` ports share the 16,384 slots in equal ranges, every
 * node meets the first, and each remaining node replicates a primary in turn once it knows that primary.
 */
async function joinCluster(ports: readonly number[], primaries: number, timeoutMs = 20_000): Promise<void> {
  const primaryPorts = ports.slice(0, primaries);
  await Promise.all(
    primaryPorts.map((port, i) => {
      const first = Math.floor((i * 16_384) / primaries);
      const last = Math.floor(((i + 1) * 16_384) / primaries) - 1;
      return ask(port, ['CLUSTER', 'ADDSLOTSRANGE', String(first), String(last)]);
    }),
  );
  // Distinct config epochs, so no two primaries claim their slots with the same one.
  await Promise.all(primaryPorts.map((port, i) => ask(port, ['CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1)])));
  for (const port of ports.slice(1)) await ask(ports[0]!, ['CLUSTER', 'MEET', '127.0.0.1', String(port)]);
  const ids = await Promise.all(primaryPorts.map(async (port) => String(await ask(port, ['CLUSTER', 'MYID']))));
  const deadline = Date.now() + timeoutMs;
  for (const [j, port] of ports.slice(primaries).entries()) {
    const primaryId = ids[j % primaries]!;
    // A node can replicate a primary only once gossip has told it about that primary.
    while (!String(await ask(port, ['CLUSTER', 'NODES'])).includes(primaryId)) {
      if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} never learned of its primary`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await ask(port, ['CLUSTER', 'REPLICATE', primaryId]);
  }
}

async function waitForClusterOk(ports: number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const states = await Promise.all(ports.map((p) => rawBulk(p, 'CLUSTER INFO')));
    if (states.every((s) => s.includes('cluster_state:ok'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LabError({
    what: `The local cluster did not reach cluster_state:ok within ${timeoutMs / 1000} s`,
    where: ports.join(','),
  });
}

async function waitForReplicasInSync(ports: number[], expected: number, timeoutMs = 20_000): Promise<void> {
  if (expected === 0) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const replication = await Promise.all(ports.map((p) => rawBulk(p, 'INFO replication')));
    // ... and every node must already show it there (each learns of it by gossip).
    const slotMaps = await Promise.all(ports.map((p) => rawBulk(p, 'CLUSTER SLOTS')));
    const listsAll = slotMaps.every((map) => new Set(map.match(/^[0-9a-f]{40}$/gm)).size === ports.length);
    if (listsAll && replication.filter((r) => r.includes('master_link_status:up')).length === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LabError({
    what: `The local cluster's replicas did not sync within ${timeoutMs / 1000} s`,
    where: ports.join(','),
  });
}

/** A reply as text (an array's items one a line), or '' when the node does not answer. */
async function rawBulk(port: number, command: string): Promise<string> {
  const answer = await askServer(port, command.split(' '));
  return answer.answered && !('error' in answer) ? answerText(answer) : '';
}

async function describeNodes(ports: number[], children: ChildProcess[]): Promise<ClusterNodeProcess[]> {
  return Promise.all(
    ports.map(async (port, i) => {
      const role = (await rawBulk(port, 'ROLE')).startsWith('master') ? ('primary' as const) : ('replica' as const);
      return { host: '127.0.0.1', port, pid: children[i]!.pid ?? -1, role };
    }),
  );
}

function clusterView(
  dir: string,
  nodes: ClusterNodeProcess[],
  startSeconds: number,
  stop: () => Promise<void>,
): LocalCluster {
  const seeds = nodes.filter((n) => n.role === 'primary').map(({ host, port }) => ({ host, port }));
  let stopped: Promise<void> | undefined;
  return {
    dir,
    nodes,
    seeds,
    envLine: `VALKEY_CLUSTER_NODES=${seeds.map((s) => `${s.host}:${s.port}`).join(',')}`,
    startSeconds,
    stop: () => (stopped ??= stop()),
  };
}

/** True when the node at `port` is alive and is the very process recorded (not some later server on that port). */
async function isRecordedNode(node: ClusterNodeProcess): Promise<boolean> {
  const info = await rawBulk(node.port, 'INFO server');
  return new RegExp(`process_id:${node.pid}\\b`).test(info);
}

export interface LocalClusterStatus {
  running: boolean;
  /** Every recorded node, with whether it still answers. */
  nodes: Array<ClusterNodeProcess & { alive: boolean }>;
  envLine: string | undefined;
  state: string | undefined;
}

function readRecord(dir: string): ClusterRecord | undefined {
  const file = path.join(dir, CLUSTER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClusterRecord;
  } catch {
    return undefined;
  }
}

/** What the cluster recorded in `dir` is doing: which nodes answer, and the cluster's state. */
export async function localClusterStatus(dir: string): Promise<LocalClusterStatus> {
  const record = readRecord(dir);
  if (!record) return { running: false, nodes: [], envLine: undefined, state: undefined };
  const nodes = await Promise.all(record.nodes.map(async (n) => ({ ...n, alive: await isRecordedNode(n) })));
  const firstAlive = nodes.find((n) => n.alive);
  const state = firstAlive
    ? /cluster_state:(\w+)/.exec(await rawBulk(firstAlive.port, 'CLUSTER INFO'))?.[1]
    : undefined;
  const view = clusterView(dir, record.nodes, 0, async () => undefined);
  return { running: nodes.every((n) => n.alive), nodes, envLine: view.envLine, state };
}

/** Stops every node recorded in `dir` that is still the process recorded; returns how many were stopped. */
export async function stopLocalCluster(dir: string): Promise<number> {
  const record = readRecord(dir);
  if (!record) return 0;
  let stopped = 0;
  for (const node of record.nodes) {
    if (!(await isRecordedNode(node))) continue;
    process.kill(node.pid, 'SIGTERM');
    stopped += 1;
  }
  const deadline = Date.now() + 5_000;
  while (record.nodes.some((n) => isAlive(n.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  rmSync(path.join(dir, CLUSTER_FILE), { force: true });
  for (const node of record.nodes) {
    if (!isAlive(node.pid)) rmSync(path.join(dir, String(node.port)), { recursive: true, force: true });
  }
  return stopped;
}
