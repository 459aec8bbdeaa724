// MONITOR capture: watch, on a connection of its own, the commands one lab client sends, then stop cleanly.

import type Redis from 'iovalkey';
import { isCluster, nodeAddress, primaries, type ValkeyClient } from './client';

export interface MonitoredCommand {
  /** Seconds since the capture started, as the server timed it. */
  at: number;
  /** The command name, upper-cased (GET, SETEX...). */
  command: string;
  /** Its arguments as the server received them: keys carry the lab's prefix. */
  args: string[];
  database: number;
  /** `host:port` of the server that ran it (on a cluster, the primary owning the key's slot). */
  node: string;
}

export interface MonitorCapture {
  /** What was captured so far. */
  readonly commands: readonly MonitoredCommand[];
  /** Ends MONITOR and closes its connection(s); returns everything captured. Safe to call twice. */
  stop(): Promise<MonitoredCommand[]>;
  /** True when the capture watches every primary of a cluster. */
  readonly cluster: boolean;
}

/** `addr=127.0.0.1:51234` from CLIENT INFO: how the server (and MONITOR) names this connection. */
async function clientAddress(client: Redis): Promise<string> {
  const info = String(await client.call('CLIENT', 'INFO'));
  const address = info.match(/\baddr=(\S+)/)?.[1];
  if (!address) throw new Error("CLIENT INFO did not report this connection's address");
  return address;
}

/**
 * Starts MONITOR on a new connection (one per primary on a cluster) and keeps only the commands
 * `client` sends, so a shared server's other traffic is neither shown nor kept. MONITOR slows a busy
 * server down: capture briefly, then `stop()`. Commands come in server time order.
 */
export async function captureCommands(client: ValkeyClient): Promise<MonitorCapture> {
  const captures = await Promise.all(primaries(client).map((node) => captureNode(node)));
  const merged = () =>
    captures
      .flatMap((c) => c.captured)
      .sort((a, b) => a.seconds - b.seconds)
      .map(({ seconds, ...command }) => ({ ...command, at: seconds }));
  const relative = (all: Array<MonitoredCommand>) => {
    const start = all[0]?.at ?? 0;
    return all.map((c) => ({ ...c, at: Number((c.at - start).toFixed(6)) }));
  };
  let stopped = false;
  let result: MonitoredCommand[] | undefined;
  return {
    get commands() {
      return relative(merged());
    },
    async stop() {
      if (!stopped) {
        stopped = true;
        await Promise.all(captures.map((c) => c.stop()));
        result = relative(merged());
      }
      return [...(result ?? [])];
    },
    get cluster() {
      return isCluster(client);
    },
  };
}

interface NodeCapture {
  captured: Array<Omit<MonitoredCommand, 'at'> & { seconds: number; at: number }>;
  stop(): Promise<void>;
}

async function captureNode(client: Redis): Promise<NodeCapture> {
  const address = await clientAddress(client);
  const monitor = await client.monitor();
  // A timeout on this side connection (a loaded machine) must not crash the notebook: stop() still closes it.
  monitor.on('error', () => undefined);
  const captured: NodeCapture['captured'] = [];
  const endMarker = `capture-end-${process.pid}-${Date.now()}`;
  let sawEnd: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (sawEnd = resolve));
  const node = nodeAddress(client);
  monitor.on('monitor', (time: string, args: string[], source: string, database: string) => {
    if (source !== address || args.length === 0) return;
    if (args[1] === endMarker) return sawEnd();
    const seconds = Number(time);
    captured.push({
      seconds,
      at: seconds,
      command: args[0]!.toUpperCase(),
      args: args.slice(1),
      database: Number(database),
      node,
    });
  });
  return {
    captured,
    async stop() {
      // Commands sent just before stop() may still be on their way to the monitor connection:
      // send a marker and wait until MONITOR has shown it, so the capture is complete.
      try {
        await client.echo(endMarker);
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      } finally {
        const closed = new Promise((resolve) => monitor.once('end', resolve));
        monitor.disconnect();
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      }
    },
  };
}
