// A write-through entry kept as one string, `<version>:<JSON>`, stored only when its version is newer than the
// cached one. With `SET … IFEQ` (Valkey 8.1): read the entry, compare versions here, and replace exactly the value
// read, reading again when another writer got in between (optimistic, no script). On older servers: the versions
// compared and the entry written in one Lua script, as the HASH write-through does.

import { LabError } from '../errors';
import type { ValkeyClient } from '../valkey/client';
import { callWithKey } from '../valkey/conditional';
import { detectFeatures, type FeaturePath } from '../valkey/features';
import type { WriteThroughCall } from '../experiments/write-through-race';
import type { Versioned } from './write-through';

/** The older servers' way: one script compares the cached version with ours and writes only a newer one. */
export const STORE_ENTRY_IF_NEWER_LUA = `local current = redis.call('GET', KEYS[1])
local stored = current and tonumber(string.match(current, '^(%d+):'))
if stored and stored >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

/** A writer that keeps losing is a bug (every lost round means another writer stored): it stops here. */
const MAX_ATTEMPTS = 1_000;

/** The entry as stored: the version first, so a script can read it without parsing the JSON. */
export function encodeVersionedEntry(record: Versioned<Record<string, string>>): string {
  return `${record.version}:${JSON.stringify(record.value)}`;
}

/** The record in a stored entry, or null when it is missing or not one of ours. */
export function decodeVersionedEntry<T extends Record<string, string>>(stored: string | null): Versioned<T> | null {
  const match = stored === null ? null : /^(\d+):(.*)$/s.exec(stored);
  if (!match) return null;
  try {
    return { version: Number(match[1]), value: JSON.parse(match[2]!) as T };
  } catch {
    return null;
  }
}

/** What one store did: whether it wrote, how many reads it took, and which way it ran. */
export interface EntryStore {
  stored: boolean;
  /** Reads of the entry (SET … IFEQ's way: one more for every writer that got in between); 1 for the script. */
  attempts: number;
  path: FeaturePath;
  command: 'SET … IFEQ' | 'EVAL (store if newer)';
}

/**
 * Stores `record` under `key` for `ttlSeconds` unless the entry holds the same or a newer version: `SET … IFEQ`
 * where the server has it, else the script. A missing entry is filled with `SET … NX`, an unreadable one replaced.
 */
export async function storeEntryIfNewer<T extends Record<string, string>>(
  client: ValkeyClient,
  key: string,
  record: Versioned<T>,
  ttlSeconds: number,
): Promise<EntryStore> {
  const entry = encodeVersionedEntry(record);
  if (!(await detectFeatures(client)).has.setIfEqual) {
    const reply = await client.eval(STORE_ENTRY_IF_NEWER_LUA, 1, key, record.version, entry, ttlSeconds);
    return { stored: Number(reply) === 1, attempts: 1, path: 'fallback', command: 'EVAL (store if newer)' };
  }
  for (let attempts = 1; attempts <= MAX_ATTEMPTS; attempts++) {
    const current = await client.get(key);
    const cached = decodeVersionedEntry(current);
    if (cached && cached.version >= record.version)
      return { stored: false, attempts, path: 'command', command: 'SET … IFEQ' };
    const reply =
      current === null
        ? await client.set(key, entry, 'EX', ttlSeconds, 'NX')
        : await callWithKey(client, 'SET', key, entry, 'IFEQ', current, 'EX', ttlSeconds);
    if (reply === 'OK') return { stored: true, attempts, path: 'command', command: 'SET … IFEQ' };
    // Another writer replaced (or filled) the entry between our GET and our SET: read it again.
  }
  throw new LabError({
    what: `Storing version ${record.version} under ${key} lost ${MAX_ATTEMPTS} times in a row`,
    fix: 'Something rewrites this key without versions; give it a key of its own.',
  });
}

/** A write-through's result on a string entry: the committed record and what its store did. */
export interface EntryWrite<T extends Record<string, string>> extends EntryStore {
  committed: Versioned<T> | null;
}

/**
 * Write-through on a string entry under `key`: the database write, then the committed record (`load`), stored only
 * if newer. The shape `raceTwoWriters` races.
 */
export function entryWriteThrough<T extends Record<string, string>>(
  client: ValkeyClient,
  key: string,
  ttlSeconds: number,
): WriteThroughCall<Versioned<T> | null, EntryWrite<T>> {
  return async (write, load) => {
    await write();
    const committed = await load();
    if (committed === null) {
      // The record is gone from the database: so is its entry.
      await client.del(key);
      const path: FeaturePath = (await detectFeatures(client)).has.setIfEqual ? 'command' : 'fallback';
      return {
        committed,
        stored: false,
        attempts: 0,
        path,
        command: path === 'command' ? 'SET … IFEQ' : 'EVAL (store if newer)',
      };
    }
    return { committed, ...(await storeEntryIfNewer(client, key, committed, ttlSeconds)) };
  };
}

/** Many writers at once on one entry, as `pileUp` left it. */
export interface PileUp {
  /** Which way the stores ran. */
  path: FeaturePath;
  writers: number;
  stored: number;
  keptNewer: number;
  /** Reads of the entry, all writers together. */
  attempts: number;
  /** The version the entry holds at the end. */
  finalVersion: number | null;
  elapsedMs: number;
}

/**
 * `writers` writers store versions 1…writers under `key` at the same moment, in a scrambled order (a fixed one, so
 * runs compare): the newest must be what stays. The key is deleted first.
 */
export async function pileUp(client: ValkeyClient, key: string, writers: number, ttlSeconds = 60): Promise<PileUp> {
  await client.del(key);
  // A fixed scramble: stepping by 37 visits every version once unless 37 divides the count (then: newest first).
  const step = writers % 37 === 0 ? writers - 1 : 37;
  const versions = Array.from({ length: writers }, (_, i) => ((i * step) % writers) + 1);
  const started = performance.now();
  const results = await Promise.all(
    versions.map((version) =>
      storeEntryIfNewer(client, key, { version, value: { writer: String(version) } }, ttlSeconds),
    ),
  );
  const elapsedMs = performance.now() - started;
  return {
    path: results[0]?.path ?? 'fallback',
    writers,
    stored: results.filter((r) => r.stored).length,
    keptNewer: results.filter((r) => !r.stored).length,
    attempts: results.reduce((sum, r) => sum + r.attempts, 0),
    finalVersion: decodeVersionedEntry(await client.get(key))?.version ?? null,
    elapsedMs,
  };
}
