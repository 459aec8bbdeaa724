// The lab's key namespace: every key it writes carries the client's prefix, and cleanup only ever touches those.

import type Redis from 'iovalkey';
import { LabError } from '../errors';

/** Joins parts the guide's way: `cacheKey('flight', 'search', 'JFK', 'LAX', '2025-12-15')`. */
export function cacheKey(...parts: Array<string | number>): string {
  for (const part of parts) {
    if (String(part).includes(' ') || String(part) === '')
      throw new LabError({
        what: `Key part "${part}" is empty or has a space`,
        where: `cacheKey(${parts.map((p) => JSON.stringify(p)).join(', ')})`,
        fix: 'Use parts without spaces, e.g. cacheKey("airport", "JFK"); replace spaces with "-" or "_".',
      });
  }
  return parts.join(':');
}

function prefixOf(client: Redis): string {
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
export function storedKey(client: Redis, key: string): string {
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
}

/** Type, encoding, memory and TTL of one of the lab's keys. */
export async function inspectKey(client: Redis, key: string): Promise<KeyInspection> {
  // OBJECT and MEMORY name their key after a subcommand, where the client's automatic prefix does not
  // reach: they get the stored name spelled out.
  const stored = storedKey(client, key);
  const [type, encoding, bytes, ttlSeconds] = await Promise.all([
    client.type(key),
    client.object('ENCODING', stored) as Promise<string | null>,
    client.memory('USAGE', stored) as Promise<number | null>,
    client.ttl(key),
  ]);
  return { key, type, encoding, bytes, ttlSeconds };
}

/** The lab's keys matching `pattern` (SCAN, never KEYS), without the prefix, sorted. */
export async function listLabKeys(client: Redis, pattern = '*'): Promise<string[]> {
  const prefix = prefixOf(client);
  const found: string[] = [];
  let cursor = '0';
  do {
    // SCAN patterns are not prefixed by the client, and the keys come back with the prefix on.
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}${pattern}`, 'COUNT', 500);
    cursor = next;
    found.push(...keys.map((k) => k.slice(prefix.length)));
  } while (cursor !== '0');
  return [...new Set(found)].sort();
}

/** Deletes the lab's keys matching `pattern` (UNLINK in batches; never FLUSHALL). Returns how many went. */
export async function clearLabKeys(client: Redis, pattern = '*'): Promise<number> {
  const keys = await listLabKeys(client, pattern);
  let removed = 0;
  for (let i = 0; i < keys.length; i += 500) {
    removed += await client.unlink(...keys.slice(i, i + 500)); // the client adds the prefix back
  }
  return removed;
}
