// The server's log of costly commands: COMMANDLOG (Valkey 8.1) keeps slow ones, large requests and large replies;
// SLOWLOG, all that older servers have, keeps slow ones only. Read from every primary of a cluster.

import type { ValkeyClient } from './client';
import { nodeAddress, primaries } from './client';
import { detectFeatures, type FeaturePath } from './features';

/** What a log keeps: commands slower than a threshold, requests or replies larger than one. */
export type CommandLogType = 'slow' | 'large-request' | 'large-reply';

export interface CommandLogEntry {
  id: number;
  at: Date;
  /** Microseconds of execution (slow; and every SLOWLOG entry), or bytes (large-request, large-reply). */
  value: number;
  unit: 'microseconds' | 'bytes';
  /** The command and its arguments (long ones cut by the server). */
  command: string[];
  client: string;
  clientName: string;
  /** `host:port` of the node that logged it. */
  node: string;
}

export interface CommandLogRead {
  type: CommandLogType;
  /** Newest first. */
  entries: CommandLogEntry[];
  path: FeaturePath;
  /** `COMMANDLOG GET <count> <type>` or, as the fallback, `SLOWLOG GET <count>`. */
  command: string;
  /**
   * False when the server cannot log this type: SLOWLOG holds slow commands only, so asked for large requests
   * or replies it gives its slow entries, and a large command that ran fast is in none of them.
   */
  complete: boolean;
}

type RawEntry = [number, number, number, unknown[], string?, string?];

/**
 * The newest `count` entries of one log (per node; on a cluster, every primary's, merged newest first).
 * Read only: thresholds stay as the server has them (`commandlog-request-larger-than` and the like).
 */
export async function readCommandLog(
  client: ValkeyClient,
  type: CommandLogType = 'slow',
  count = 10,
): Promise<CommandLogRead> {
  const native = (await detectFeatures(client)).has.commandLog;
  const args = native ? ['COMMANDLOG', 'GET', String(count), type] : ['SLOWLOG', 'GET', String(count)];
  const unit = native && type !== 'slow' ? 'bytes' : 'microseconds';
  const perNode = await Promise.all(
    primaries(client).map(async (node) => {
      const rows = (await node.call(args[0]!, ...args.slice(1))) as RawEntry[];
      return rows.map(([id, at, value, command, address, name]) => ({
        id,
        at: new Date(at * 1000),
        value,
        unit,
        command: command.map(String),
        client: address ?? '',
        clientName: name ?? '',
        node: nodeAddress(node),
      })) satisfies CommandLogEntry[];
    }),
  );
  const entries = perNode
    .flat()
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id)
    .slice(0, count);
  return {
    type,
    entries,
    path: native ? 'command' : 'fallback',
    command: native ? `COMMANDLOG GET ${count} ${type}` : `SLOWLOG GET ${count}`,
    complete: native || type === 'slow',
  };
}
