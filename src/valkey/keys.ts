// The lab's key namespace: every key it writes carries the client's prefix, and cleanup only ever touches those.

import type Redis from 'iovalkey';

/** Joins parts the guide's way: `cacheKey('flight', 'search', 'JFK', 'LAX', '2025-12-15')`. */
export function cacheKey(...parts: Array<string | number>): string {
  for (const part of parts) {
    if (String(part).includes(' ') || String(part) === '')
      throw new Error(`Key part "${part}" is empty or has a space`);
  }
  return parts.join(':');
}

function prefixOf(client: Redis): string {
  const prefix = client.options.keyPrefix;
  if (!prefix) {
    // Without a prefix, "the lab's keys" would be everyone's keys.
    throw new Error(
      'This client has no key prefix, so the lab cannot tell its own keys apart; connect with connectValkey().',
    );
  }
  return prefix;
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
