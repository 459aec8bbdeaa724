// What a notebook notes about the learner's Valkey before it starts, to prove at the end that it left the server as
// it found it: the memory settings (read, never changed) and the keys, less those that went by themselves.

import { parseInfo } from '../valkey/info';
import type { ValkeyClient } from '../valkey/client';

export interface ServerState {
  /** CONFIG GET maxmemory*: maxmemory, maxmemory-policy, maxmemory-samples… */
  settings: Record<string, string>;
  keys: number;
  /** INFO stats counters: keys that expired by their TTL, and keys evicted. */
  expired: number;
  evicted: number;
}

/** Reads the server's memory settings, key count and expiry/eviction counters. Changes nothing. */
export async function serverState(client: ValkeyClient): Promise<ServerState> {
  const pairs = (await client.config('GET', 'maxmemory*')) as string[];
  const settings: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) settings[pairs[i]!] = pairs[i + 1]!;
  const stats = parseInfo(await client.info('stats')).stats;
  return {
    settings: Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b))),
    keys: await client.dbsize(),
    expired: Number(stats.expired_keys ?? 0),
    evicted: Number(stats.evicted_keys ?? 0),
  };
}

/** How two states compare: same settings, and the same keys once those that expired or were evicted are counted. */
export function compareServerState(before: ServerState, after: ServerState) {
  const goneByThemselves = after.expired - before.expired + (after.evicted - before.evicted);
  return {
    sameSettings: JSON.stringify(before.settings) === JSON.stringify(after.settings),
    sameKeys: after.keys === before.keys - goneByThemselves,
    goneByThemselves,
  };
}
