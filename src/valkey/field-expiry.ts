// Hash fields that expire on their own (a seat held during checkout, a session's one-time token): HSETEX, HGETEX,
// HPEXPIRE and HPTTL on Valkey 9.0 and later; on older servers a fallback with the same answers, in Lua.
//
// The fallback keeps each field's deadline in a sorted set beside the hash (same hash slot) and applies it, on the
// server's clock, whenever one of these functions reads or writes the hash. What it cannot do:
// - a field past its deadline goes only when these functions next touch the hash: a plain HGETALL, HLEN or
//   MEMORY USAGE still sees it until then, and no `hexpired` keyspace event is sent;
// - it costs a second key per hash, and a field set by plain HSET has no deadline;
// - when every field of the hash has a deadline, the hash itself (the key) expires at the last one, so a hash
//   nobody reads again still goes away: that replaces a longer expiry the key had, and a field added later by
//   plain HSET goes with it. (Valkey 9.0's field expiry never touches the key's own.)

import { LabError } from '../errors';
import type { ValkeyClient } from './client';
import { callWithKey } from './conditional';
import { detectFeatures, type FeaturePath } from './features';

/** What a field-expiry call returned, and which way it ran. */
export interface FieldExpiryResult<T> {
  value: T;
  path: FeaturePath;
  /** The command the server ran: HSETEX, HGETEX, HMGET… or `EVAL` with the fallback. */
  command: string;
}

/** A field's time to live in ms; -1: the field has no expiry; -2: no such field (or it expired). */
export type FieldTtl = number;

/** The fallback's shared part: the server's clock, dropping due fields, and the key's own expiry. */
const FALLBACK_PRELUDE = `local hash, deadlines = KEYS[1], KEYS[2]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function sweep(now)
  if redis.call('EXISTS', hash) == 0 then
    redis.call('DEL', deadlines)
    return
  end
  local due = redis.call('ZRANGEBYSCORE', deadlines, '-inf', now)
  if #due > 0 then
    redis.call('HDEL', hash, unpack(due))
    redis.call('ZREM', deadlines, unpack(due))
  end
end
local function settle()
  local last = redis.call('ZRANGE', deadlines, -1, -1, 'WITHSCORES')
  if #last == 0 then return end
  if redis.call('HLEN', hash) == redis.call('ZCARD', deadlines) then
    redis.call('PEXPIREAT', hash, last[2])
  end
  -- The deadlines live as long as the hash: they are what removes its fields.
  local ttl = redis.call('PTTL', hash)
  if ttl > 0 then redis.call('PEXPIRE', deadlines, ttl) else redis.call('PERSIST', deadlines) end
end
local now = now_ms()
sweep(now)
`;

/** ARGV[1] ttl ms · ARGV[2..] field, value, … */
const SET_WITH_TTL_LUA = `${FALLBACK_PRELUDE}
for i = 2, #ARGV, 2 do
  redis.call('HSET', hash, ARGV[i], ARGV[i + 1])
  redis.call('ZADD', deadlines, now + tonumber(ARGV[1]), ARGV[i])
end
settle()
return 1`;

/** ARGV[1] ttl ms or '' (read only) · ARGV[2..] fields */
const READ_LUA = `${FALLBACK_PRELUDE}
local fields = {}
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
local values = redis.call('HMGET', hash, unpack(fields))
if ARGV[1] ~= '' then
  for i, field in ipairs(fields) do
    if values[i] then redis.call('ZADD', deadlines, now + tonumber(ARGV[1]), field) end
  end
  settle()
end
return values`;

const READ_ALL_LUA = `${FALLBACK_PRELUDE}
return redis.call('HGETALL', hash)`;

/** ARGV[1] ttl ms · ARGV[2..] fields; per field 1 (set) or -2 (no such field), as HPEXPIRE answers */
const EXPIRE_LUA = `${FALLBACK_PRELUDE}
local codes = {}
for i = 2, #ARGV do
  if redis.call('HEXISTS', hash, ARGV[i]) == 1 then
    redis.call('ZADD', deadlines, now + tonumber(ARGV[1]), ARGV[i])
    codes[#codes + 1] = 1
  else
    codes[#codes + 1] = -2
  end
end
settle()
return codes`;

/** ARGV[1..] fields; per field ms left, -1 (no expiry) or -2 (no such field), as HPTTL answers */
const TTL_LUA = `${FALLBACK_PRELUDE}
local ttls = {}
for i = 1, #ARGV do
  if redis.call('HEXISTS', hash, ARGV[i]) == 0 then
    ttls[#ttls + 1] = -2
  else
    local deadline = redis.call('ZSCORE', deadlines, ARGV[i])
    ttls[#ttls + 1] = deadline and (tonumber(deadline) - now) or -1
  end
end
return ttls`;

/**
 * The fallback's sorted set of deadlines for `key`, in the same hash slot: `key:field-deadlines` when the key has
 * a hash tag, else one made of the whole stored key (`{lab:seats}:field-deadlines`), whose slot is the key's own.
 */
export function fieldDeadlinesKey(client: ValkeyClient, key: string): string {
  const stored = `${client.options.keyPrefix ?? ''}${key}`;
  const open = stored.indexOf('{');
  const close = open >= 0 ? stored.indexOf('}', open + 1) : -1;
  const tagged = close > open + 1;
  return tagged ? `${key}:field-deadlines` : `{${stored}}:field-deadlines`;
}

function requireTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
    throw new LabError({
      what: `A field's ttlMs must be a whole number of milliseconds above 0, not ${ttlMs}`,
      fix: 'Pass e.g. 60_000 for a minute.',
    });
  }
}

function requireFields(fields: readonly string[], what: string): void {
  if (fields.length === 0) throw new LabError({ what: `${what} needs at least one field`, fix: 'Name the fields.' });
}

async function hasFieldExpiry(client: ValkeyClient): Promise<boolean> {
  return (await detectFeatures(client)).has.hashFieldExpiry;
}

function fallback<T>(value: T): FieldExpiryResult<T> {
  return { value, path: 'fallback', command: 'EVAL (field deadlines)' };
}

/** Sets `fields` of the hash at `key`, each to expire `ttlMs` from now (HSETEX key PX ttlMs FIELDS n …). */
export async function setFieldsWithTtl(
  client: ValkeyClient,
  key: string,
  fields: Record<string, string | number>,
  ttlMs: number,
): Promise<FieldExpiryResult<void>> {
  requireTtl(ttlMs);
  const pairs = Object.entries(fields).flatMap(([field, value]) => [field, String(value)]);
  requireFields(pairs, 'setFieldsWithTtl');
  if (await hasFieldExpiry(client)) {
    await callWithKey(client, 'HSETEX', key, 'PX', String(ttlMs), 'FIELDS', String(pairs.length / 2), ...pairs);
    return { value: undefined, path: 'command', command: 'HSETEX' };
  }
  await client.eval(SET_WITH_TTL_LUA, 2, key, fieldDeadlinesKey(client, key), ttlMs, ...pairs);
  return fallback(undefined);
}

/** The values of `fields` (null for a missing or expired one), as HMGET answers. */
export async function readFields(
  client: ValkeyClient,
  key: string,
  fields: readonly string[],
): Promise<FieldExpiryResult<Array<string | null>>> {
  requireFields(fields, 'readFields');
  if (await hasFieldExpiry(client)) {
    return { value: await client.hmget(key, ...fields), path: 'command', command: 'HMGET' };
  }
  const values = (await client.eval(READ_LUA, 2, key, fieldDeadlinesKey(client, key), '', ...fields)) as unknown[];
  return fallback(values.map((v) => (typeof v === 'string' ? v : null)));
}

/**
 * The values of `fields`, and each present one's expiry pushed to `ttlMs` from now (HGETEX key PX ttlMs FIELDS
 * n …): a sliding expiry, as a session's fields want.
 */
export async function readFieldsAndRefresh(
  client: ValkeyClient,
  key: string,
  fields: readonly string[],
  ttlMs: number,
): Promise<FieldExpiryResult<Array<string | null>>> {
  requireTtl(ttlMs);
  requireFields(fields, 'readFieldsAndRefresh');
  if (await hasFieldExpiry(client)) {
    const values = (await callWithKey(
      client,
      'HGETEX',
      key,
      'PX',
      String(ttlMs),
      'FIELDS',
      String(fields.length),
      ...fields,
    )) as Array<string | null>;
    return { value: values, path: 'command', command: 'HGETEX' };
  }
  const values = (await client.eval(READ_LUA, 2, key, fieldDeadlinesKey(client, key), ttlMs, ...fields)) as unknown[];
  return fallback(values.map((v) => (typeof v === 'string' ? v : null)));
}

/** Every live field of the hash, as HGETALL answers (expired ones left out). */
export async function readAllFields(
  client: ValkeyClient,
  key: string,
): Promise<FieldExpiryResult<Record<string, string>>> {
  if (await hasFieldExpiry(client)) {
    return { value: await client.hgetall(key), path: 'command', command: 'HGETALL' };
  }
  const flat = (await client.eval(READ_ALL_LUA, 2, key, fieldDeadlinesKey(client, key))) as string[];
  const record: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
  return fallback(record);
}

/**
 * Gives existing `fields` an expiry `ttlMs` from now (HPEXPIRE key ttlMs FIELDS n …): per field 1 when set,
 * -2 when the hash has no such field.
 */
export async function expireFields(
  client: ValkeyClient,
  key: string,
  fields: readonly string[],
  ttlMs: number,
): Promise<FieldExpiryResult<number[]>> {
  requireTtl(ttlMs);
  requireFields(fields, 'expireFields');
  if (await hasFieldExpiry(client)) {
    const codes = (await callWithKey(
      client,
      'HPEXPIRE',
      key,
      String(ttlMs),
      'FIELDS',
      String(fields.length),
      ...fields,
    )) as number[];
    return { value: codes.map(Number), path: 'command', command: 'HPEXPIRE' };
  }
  const codes = (await client.eval(EXPIRE_LUA, 2, key, fieldDeadlinesKey(client, key), ttlMs, ...fields)) as number[];
  return fallback(codes.map(Number));
}

/** Each field's time to live in ms (HPTTL key FIELDS n …): -1 without expiry, -2 for no such field. */
export async function fieldTtls(
  client: ValkeyClient,
  key: string,
  fields: readonly string[],
): Promise<FieldExpiryResult<FieldTtl[]>> {
  requireFields(fields, 'fieldTtls');
  if (await hasFieldExpiry(client)) {
    const ttls = (await callWithKey(client, 'HPTTL', key, 'FIELDS', String(fields.length), ...fields)) as number[];
    return { value: ttls.map(Number), path: 'command', command: 'HPTTL' };
  }
  const ttls = (await client.eval(TTL_LUA, 2, key, fieldDeadlinesKey(client, key), ...fields)) as number[];
  return fallback(ttls.map(Number));
}
