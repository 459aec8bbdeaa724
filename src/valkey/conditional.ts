// Compare-and-set and compare-and-delete of a string key: `SET … IFEQ` (Valkey 8.1) and `DELIFEQ` (Valkey 9.0)
// where the server has them, the same in one Lua script where it has not. Either way one atomic step.

import { Command } from 'iovalkey';
import { LabError } from '../errors';
import type { ValkeyClient } from './client';
import { detectFeatures, type FeaturePath } from './features';

/** Replaces the value only while it is still the one expected; a missing key stays missing. */
export const COMPARE_AND_SET_LUA = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[3] == '' then
  redis.call('SET', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1`;

/**
 * Deletes the key only while it holds the value expected (a lock's token): GET and DEL in one script, so no
 * other client can take the key between them.
 */
export const COMPARE_AND_DELETE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
else
  return 0
end`;

/** What a conditional write did, and which way it ran. */
export interface ConditionalOutcome {
  /** True when the value was replaced (set) or the key deleted (delete). */
  done: boolean;
  path: FeaturePath;
  /** The command the server ran: `SET … IFEQ` / `DELIFEQ`, or `EVAL` with the script. */
  command: string;
}

/**
 * The key as the command must carry it: the client adds its key prefix only to the keys of commands its
 * command table knows, so a command newer than the table (DELIFEQ, HSETEX…) gets the prefix from us. Asking the
 * client keeps this right once it learns the command.
 */
export function keyForUnknownCommand(client: ValkeyClient, command: string, key: string): string {
  const prefix = client.options.keyPrefix;
  if (!prefix) return key;
  const probe = new Command(command, [key, 'value'], { keyPrefix: prefix });
  return probe.getKeys().length > 0 ? key : `${prefix}${key}`;
}

/**
 * Sends `command key ...args` with the key prefixed exactly once, whether or not the client's command table knows
 * the command (the name goes lower-case: the table's, so a known command is prefixed by the client itself).
 */
export function callWithKey(
  client: ValkeyClient,
  command: string,
  key: string,
  ...args: Array<string | number>
): Promise<unknown> {
  const name = command.toLowerCase();
  return client.call(name, keyForUnknownCommand(client, name, key), ...args.map(String));
}

function requireTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && (!Number.isInteger(ttlMs) || ttlMs <= 0)) {
    throw new LabError({
      what: `ttlMs must be a whole number of milliseconds above 0, not ${ttlMs}`,
      fix: 'Pass e.g. { ttlMs: 60_000 }, or leave it out for no expiry.',
    });
  }
}

/**
 * Sets `key` to `value` only while it holds `expected` (a missing key is not set): `SET key value IFEQ
 * expected [PX ttlMs]` on Valkey 8.1 and later, the Lua compare-and-set elsewhere. Without `ttlMs` the key keeps
 * no expiry, as a plain SET would.
 */
export async function setIfEqual(
  client: ValkeyClient,
  key: string,
  expected: string,
  value: string,
  options: { ttlMs?: number } = {},
): Promise<ConditionalOutcome> {
  requireTtl(options.ttlMs);
  const expiry = options.ttlMs !== undefined ? ['PX', String(options.ttlMs)] : [];
  if ((await detectFeatures(client)).has.setIfEqual) {
    const reply = await callWithKey(client, 'SET', key, value, 'IFEQ', expected, ...expiry);
    return { done: reply === 'OK', path: 'command', command: 'SET … IFEQ' };
  }
  const reply = await client.eval(COMPARE_AND_SET_LUA, 1, key, expected, value, options.ttlMs ?? '');
  return { done: Number(reply) === 1, path: 'fallback', command: 'EVAL (compare-and-set)' };
}

/**
 * Deletes `key` only while it holds `expected`: `DELIFEQ key expected` on Valkey 9.0 and later, the Lua
 * compare-and-delete elsewhere. The safe release of a lock whose value is its holder's token.
 */
export async function deleteIfEqual(client: ValkeyClient, key: string, expected: string): Promise<ConditionalOutcome> {
  if ((await detectFeatures(client)).has.deleteIfEqual) {
    const reply = await callWithKey(client, 'DELIFEQ', key, expected);
    return { done: Number(reply) === 1, path: 'command', command: 'DELIFEQ' };
  }
  const reply = await client.eval(COMPARE_AND_DELETE_LUA, 1, key, expected);
  return { done: Number(reply) === 1, path: 'fallback', command: 'EVAL (compare-and-delete)' };
}
