// The lab's key namespace: every key it writes carries the client's prefix, and cleanup only ever touches those.

import type Redis from 'iovalkey';
import { LabError, errorMessage } from '../errors';
import { isCluster, nodeAddress, primaries, type ValkeyClient } from './client';

/** Joins parts the guide's way: `cacheKey('flight', 'search', 'JFK', 'LAX', '2025-12-15')`. */
export function cacheKey(...parts: Array<string | number>): string {
  for (const part of parts) {
    if (String(part).includes(' ') || String(part) === '')
      throw new LabError({
        what: `Key part "${part}" is empty or has a space`,
        where: `cacheKey(${parts.map((p) => JSON.stringify(p)).join(', ')})`,
        fix: 'Use parts without spaces, e.g. cacheKey("airport", "JFK"); replace spaces with "-" or "_".',
      });
    // Valkey would store them, but a key with a line break or tab prints as two keys, or as nothing.
    if (/[\s\x00-\x1f\x7f]/.test(String(part)))
      throw new LabError({
        what: `Key part ${JSON.stringify(String(part))} has a line break, tab or other control character`,
        where: `cacheKey(${parts.map((p) => JSON.stringify(p)).join(', ')})`,
        fix: 'Use printable characters only; replace the rest with "-" or "_".',
      });
  }
  return parts.join(':');
}

function prefixOf(client: ValkeyClient): string {
  const prefix = client.options.keyPrefix;
  if (!prefix) {
    // Without a prefix, "the lab's keys" would be everyone's keys.
    throw new LabError({
      what: 'This Valkey client has no key prefix, so the lab cannot tell its own keys apart',
      fix: 'Use lab.valkey, or a client from connectValkey().',
    });
  }
  return prefix;
}

/** The key as Valkey stores it: with the client's prefix in front. */
export function storedKey(client: ValkeyClient, key: string): string {
  return `${client.options.keyPrefix ?? ''}${key}`;
}

export interface KeyInspection {
  key: string;
  /** string, hash, zset... or `none` when the key does not exist. */
  type: string;
  /** The internal representation (OBJECT ENCODING): embstr, raw, int, listpack, hashtable... */
  encoding: string | null;
  /** Bytes the key and its value take, overhead included (MEMORY USAGE). */
  bytes: number | null;
  /** Seconds left to live; -1 without an expiry, -2 when the key does not exist. */
  ttlSeconds: number;
  /** `host:port` of the server that holds the key (on a cluster: the primary owning its slot). */
  node: string;
}

/** The primary that owns a stored key's slot (the one server, off a cluster). */
export async function nodeForKey(client: ValkeyClient, stored: string): Promise<Redis> {
  if (!isCluster(client)) return client;
  const nodes = client.nodes('master');
  const slot = Number(await nodes[0]!.call('CLUSTER', 'KEYSLOT', stored));
  const owner = client.slots[slot]?.[0]; // `host:port` of the slot's primary, as the client last learned it
  const node = nodes.find((n) => nodeAddress(n) === owner);
  if (!node)
    throw new LabError({
      what: `No primary known for slot ${slot} (key "${stored}")`,
      fix: 'Check `npm run cluster -- status`.',
    });
  return node;
}

/** Type, encoding, memory and TTL of one of the lab's keys; on a cluster, asked of the node that owns it. */
export async function inspectKey(client: ValkeyClient, key: string): Promise<KeyInspection> {
  // OBJECT and MEMORY name their key after a subcommand, where the client's automatic prefix (and a
  // cluster's routing) does not reach: they get the stored name spelled out, on the owning node.
  const stored = storedKey(client, key);
  const owner = await nodeForKey(client, stored);
  const [type, encoding, bytes, ttlSeconds] = await Promise.all([
    client.type(key),
    owner.call('OBJECT', 'ENCODING', stored) as Promise<string | null>,
    owner.call('MEMORY', 'USAGE', stored) as Promise<number | null>,
    client.ttl(key),
  ]);
  return { key, type, encoding, bytes, ttlSeconds, node: nodeAddress(owner) };
}

/** Stored names of the keys matching `pattern` on one server (SCAN, never KEYS). */
async function scanNode(node: Redis, match: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** The lab's keys matching `pattern` (SCAN on every primary, never KEYS), without the prefix, sorted. */
export async function listLabKeys(client: ValkeyClient, pattern = '*'): Promise<string[]> {
  const prefix = prefixOf(client);
  // SCAN patterns are not prefixed by the client, and the keys come back with the prefix on.
  const perNode = await Promise.all(primaries(client).map((node) => scanNode(node, `${prefix}${pattern}`)));
  return [...new Set(perNode.flat().map((k) => k.slice(prefix.length)))].sort();
}

/** The lab's keys that have no expiry (TTL -1): what would stay on a learner's server for ever. */
export async function labKeysWithoutTtl(client: ValkeyClient, pattern = '*'): Promise<string[]> {
  const keys = await listLabKeys(client, pattern);
  const ttls = await Promise.all(keys.map((key) => client.ttl(key)));
  return keys.filter((_, i) => ttls[i] === -1);
}

/** Deletes the lab's keys matching `pattern` (UNLINK in batches; never FLUSHALL). Returns how many went. */
export async function clearLabKeys(client: ValkeyClient, pattern = '*'): Promise<number> {
  const keys = await listLabKeys(client, pattern);
  let removed = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const batch = keys.slice(i, i + 500);
    if (!isCluster(client)) {
      removed += await client.unlink(...batch); // the client adds the prefix back
      continue;
    }
    // On a cluster one UNLINK may only name keys of one slot: one UNLINK per key, pipelined per slot owner.
    const results = await Promise.all(batch.map((key) => client.unlink(key)));
    removed += results.reduce((sum, n) => sum + n, 0);
  }
  return removed;
}

/** True for the error a cluster gives when one command names keys in different hash slots. */
export function isCrossSlotError(error: unknown): boolean {
  return /CROSSSLOT/.test(errorMessage(error));
}

/**
 * Runs a command that names several keys; on a cluster, a CROSSSLOT refusal becomes a LabError that
 * says how hash tags put keys in one slot. Other errors pass through unchanged.
 */
export async function sameSlot<T>(keys: readonly string[], command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    throw crossSlotError(error, keys);
  }
}

/** A CROSSSLOT error as a LabError explaining hash tags; any other error is returned as it is. */
export function crossSlotError(error: unknown, keys: readonly string[] = []): unknown {
  if (!isCrossSlotError(error)) return error;
  const named = keys.length > 0 ? ` (${keys.join(', ')})` : '';
  return new LabError({
    what: `A cluster runs a multi-key command only when all its keys hash to one slot, and these do not${named}`,
    fix: 'Give keys that belong together the same hash tag, the part in braces that alone decides the slot: flight:{1001}:seats with flight:{1001}:seatmap.',
    cause: error,
  });
}
