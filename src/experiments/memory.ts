// Memory per representation: the same records as JSON strings, HASHes and compact HASHes, seats as a bitmap.

import type { ValkeyClient } from '../valkey/client';
import { LabError } from '../errors';
import { storedKey } from '../valkey/keys';

/** One way of storing the same records, and what the server says it costs. */
export interface RepresentationUsage {
  representation: string;
  /** Records stored (airports, or seats). */
  records: number;
  /** Keys used for them. */
  keys: number;
  /** Sum of MEMORY USAGE over those keys (value, key name and the server's per-key overhead). */
  totalBytes: number;
  bytesPerRecord: number;
  /** OBJECT ENCODING of the keys, each distinct one once (listpack, hashtable, embstr, raw...). */
  encodings: string[];
  /** One of the keys, to inspect by hand. */
  sampleKey: string;
}

/** The airport fields the lab stores, with the guide's short names for the compact HASH (Step 20). */
export const AIRPORT_FIELDS = [
  { field: 'name', short: 'n' },
  { field: 'iata', short: 'i' },
  { field: 'icao', short: 'c' },
  { field: 'city', short: 'ct' },
  { field: 'country', short: 'co' },
] as const;

/** An airport row: the fields above are read from it (missing ones are stored empty). */
export type AirportRecord = Record<string, unknown>;

/** Sums MEMORY USAGE (all samples: exact for these small values) and collects OBJECT ENCODING of `keys`. */
export async function measureKeys(
  client: ValkeyClient,
  keys: readonly string[],
): Promise<{ bytes: number; encodings: string[] }> {
  const pipeline = client.pipeline();
  for (const key of keys) {
    // MEMORY and OBJECT name their key after a subcommand, where a client's key prefix does not reach.
    pipeline.call('MEMORY', 'USAGE', storedKey(client, key), 'SAMPLES', '0');
    pipeline.call('OBJECT', 'ENCODING', storedKey(client, key));
  }
  const replies = (await pipeline.exec()) ?? [];
  let bytes = 0;
  const encodings = new Set<string>();
  replies.forEach(([error, reply], i) => {
    if (error) throw new LabError({ what: `Cannot measure ${keys[Math.floor(i / 2)]}: ${error.message}` });
    if (i % 2 === 0) bytes += Number(reply ?? 0);
    else if (reply !== null) encodings.add(String(reply));
  });
  return { bytes, encodings: [...encodings] };
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Stores `airports` four ways under `namespace` — one JSON string per airport, one HASH per airport
 * with full field names, one with the guide's short names, and one HASH holding every airport as a
 * JSON field — and measures each. Keys it writes are returned in `keys` so the caller can delete them.
 */
export async function airportMemoryByRepresentation(
  client: ValkeyClient,
  airports: readonly AirportRecord[],
  namespace: string,
): Promise<{ usage: RepresentationUsage[]; keys: string[] }> {
  if (airports.length === 0) throw new LabError({ what: 'No airports to store', fix: 'Pass the rows of a query.' });
  const codes = airports.map((a, i) => text(a.iata) || `row${i}`);
  const keysOf = (kind: string) => codes.map((code) => `${namespace}:${kind}:${code}`);
  const jsonKeys = keysOf('json');
  const hashKeys = keysOf('hash');
  const compactKeys = keysOf('compact');
  const allKey = `${namespace}:all`;

  const pipeline = client.pipeline();
  airports.forEach((airport, i) => {
    pipeline.set(jsonKeys[i]!, JSON.stringify(airport));
    pipeline.hset(hashKeys[i]!, Object.fromEntries(AIRPORT_FIELDS.map((f) => [f.field, text(airport[f.field])])));
    pipeline.hset(compactKeys[i]!, Object.fromEntries(AIRPORT_FIELDS.map((f) => [f.short, text(airport[f.field])])));
    pipeline.hset(allKey, codes[i]!, JSON.stringify(airport));
  });
  await pipeline.exec();

  const usage: RepresentationUsage[] = [];
  const add = async (representation: string, keys: string[]) => {
    const { bytes, encodings } = await measureKeys(client, keys);
    usage.push({
      representation,
      records: airports.length,
      keys: keys.length,
      totalBytes: bytes,
      bytesPerRecord: bytes / airports.length,
      encodings,
      sampleKey: keys[0]!,
    });
  };
  await add('JSON string', jsonKeys);
  await add('HASH, full field names', hashKeys);
  await add('compact HASH, short names', compactKeys);
  await add('one HASH for all (JSON fields)', [allKey]);
  return { usage, keys: [...jsonKeys, ...hashKeys, ...compactKeys, allKey] };
}

/**
 * A flight's seat map three ways under `namespace`: a SET of the taken seats, a HASH seat → status,
 * and a bitmap with one bit per seat (the guide's Step 16). Seats are numbered 0..seats-1.
 */
export async function seatMemoryByRepresentation(
  client: ValkeyClient,
  options: { seats: number; taken: readonly number[]; namespace: string },
): Promise<{ usage: RepresentationUsage[]; keys: string[] }> {
  const { seats, taken, namespace } = options;
  if (!Number.isInteger(seats) || seats < 1) throw new LabError({ what: `A seat map needs seats ≥ 1, got ${seats}` });
  const takenSet = new Set(taken);
  const setKey = `${namespace}:seats:set`;
  const hashKey = `${namespace}:seats:hash`;
  const bitmapKey = `${namespace}:seats:bitmap`;
  await client.del(setKey, hashKey, bitmapKey);
  const pipeline = client.pipeline();
  if (takenSet.size > 0) pipeline.sadd(setKey, ...[...takenSet].map(String));
  pipeline.hset(
    hashKey,
    Object.fromEntries(Array.from({ length: seats }, (_, s) => [String(s), takenSet.has(s) ? 'taken' : 'free'])),
  );
  // The last seat's bit is always written so the bitmap spans the whole plane.
  pipeline.setbit(bitmapKey, seats - 1, takenSet.has(seats - 1) ? 1 : 0);
  for (const s of takenSet) pipeline.setbit(bitmapKey, s, 1);
  await pipeline.exec();

  const usage: RepresentationUsage[] = [];
  for (const [representation, key] of [
    ['SET of booked seats', setKey],
    ['HASH seat → status', hashKey],
    ['bitmap, 1 bit per seat', bitmapKey],
  ] as const) {
    if (representation.startsWith('SET') && takenSet.size === 0) continue;
    const { bytes, encodings } = await measureKeys(client, [key]);
    usage.push({
      representation,
      records: seats,
      keys: 1,
      totalBytes: bytes,
      bytesPerRecord: bytes / seats,
      encodings,
      sampleKey: key,
    });
  }
  return { usage, keys: [setKey, hashKey, bitmapKey] };
}

/** One HASH at one size: its encoding and MEMORY USAGE. */
export interface EncodingStep {
  entries: number;
  /** Length of the longest field value, in bytes. */
  longestValue: number;
  encoding: string;
  bytes: number;
}

export interface ListpackSwitch {
  /** CONFIG GET hash-max-listpack-entries / hash-max-listpack-value (read only). */
  entriesLimit: number;
  valueLimit: number;
  /** Growing one field at a time across the entries limit. */
  byEntries: EncodingStep[];
  /** A small HASH whose one value grows across the value limit. */
  byValue: EncodingStep[];
}

async function step(client: ValkeyClient, key: string, entries: number, longestValue: number): Promise<EncodingStep> {
  const { bytes, encodings } = await measureKeys(client, [key]);
  return { entries, longestValue, encoding: encodings[0] ?? 'none', bytes };
}

/**
 * Shows where a HASH stops being a compact listpack and becomes a hashtable: once it has more fields
 * than hash-max-listpack-entries, or a value longer than hash-max-listpack-value. Reads the limits
 * with CONFIG GET and never changes them; uses `namespace:entries` and `namespace:value` (deleted after).
 */
export async function listpackSwitch(client: ValkeyClient, namespace: string): Promise<ListpackSwitch> {
  const [, entriesText] = (await client.config('GET', 'hash-max-listpack-entries')) as [string, string];
  const [, valueText] = (await client.config('GET', 'hash-max-listpack-value')) as [string, string];
  const entriesLimit = Number(entriesText);
  const valueLimit = Number(valueText);
  const entriesKey = `${namespace}:entries`;
  const valueKey = `${namespace}:value`;
  await client.del(entriesKey, valueKey);
  try {
    const byEntries: EncodingStep[] = [];
    const checkpoints = new Set([
      1,
      Math.floor(entriesLimit / 2),
      entriesLimit - 1,
      entriesLimit,
      entriesLimit + 1,
      entriesLimit + 2,
    ]);
    const value = 'x'.repeat(8);
    for (let n = 1; n <= entriesLimit + 2; n++) {
      await client.hset(entriesKey, `f${n}`, value);
      if (checkpoints.has(n)) byEntries.push(await step(client, entriesKey, n, value.length));
    }
    const byValue: EncodingStep[] = [];
    for (const length of [8, valueLimit - 1, valueLimit, valueLimit + 1]) {
      await client.del(valueKey);
      await client.hset(valueKey, 'a', 'x', 'b', 'y', 'long', 'v'.repeat(length));
      byValue.push(await step(client, valueKey, 3, length));
    }
    return { entriesLimit, valueLimit, byEntries, byValue };
  } finally {
    await client.del(entriesKey, valueKey);
  }
}
