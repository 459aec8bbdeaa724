// MONITOR capture: watch, on a connection of its own, the commands one lab client sends, then stop cleanly.

import type Redis from 'iovalkey';

export interface MonitoredCommand {
  /** Seconds since the capture started, as the server timed it. */
  at: number;
  /** The command name, upper-cased (GET, SETEX...). */
  command: string;
  /** Its arguments as the server received them: keys carry the lab's prefix. */
  args: string[];
  database: number;
}

export interface MonitorCapture {
  /** What was captured so far. */
  readonly commands: readonly MonitoredCommand[];
  /** Ends MONITOR and closes its connection; returns everything captured. */
  stop(): Promise<MonitoredCommand[]>;
}

/** `addr=127.0.0.1:51234` from CLIENT INFO: how the server (and MONITOR) names this connection. */
async function clientAddress(client: Redis): Promise<string> {
  const info = String(await client.call('CLIENT', 'INFO'));
  const address = info.match(/\baddr=(\S+)/)?.[1];
  if (!address) throw new Error("CLIENT INFO did not report this connection's address");
  return address;
}

/**
 * Starts MONITOR on a new connection and keeps only the commands `client` sends, so a shared
 * server's other traffic is neither shown nor kept. MONITOR slows a busy server down: capture
 * briefly, then `stop()`.
 */
export async function captureCommands(client: Redis): Promise<MonitorCapture> {
  const address = await clientAddress(client);
  const monitor = await client.monitor();
  const commands: MonitoredCommand[] = [];
  const endMarker = `capture-end-${process.pid}-${Date.now()}`;
  let sawEnd: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (sawEnd = resolve));
  let startedAt: number | undefined;
  monitor.on('monitor', (time: string, args: string[], source: string, database: string) => {
    if (source !== address || args.length === 0) return;
    if (args[1] === endMarker) return sawEnd();
    const seconds = Number(time);
    startedAt ??= seconds;
    commands.push({
      at: Number((seconds - startedAt).toFixed(6)),
      command: args[0]!.toUpperCase(),
      args: args.slice(1),
      database: Number(database),
    });
  });
  let stopped = false;
  return {
    commands,
    async stop() {
      if (!stopped) {
        stopped = true;
        // Commands sent just before stop() may still be on their way to the monitor connection:
        // send a marker and wait until MONITOR has shown it, so the capture is complete.
        await client.echo(endMarker);
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        monitor.disconnect();
      }
      return [...commands];
    },
  };
}
