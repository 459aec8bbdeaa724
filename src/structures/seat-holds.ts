// Seats held during checkout, each freeing itself when the traveller does not pay in time. On Valkey 9.0 and later:
// one HASH per flight, a field per held seat that expires on its own (HSETEX … FNX PX). On older servers: one key
// per hold with its own TTL (SET … NX PX), found again by SCAN. Either way a seat has one holder at a time.

import { LabError } from '../errors';
import type { ValkeyClient } from '../valkey/client';
import { callWithKey } from '../valkey/conditional';
import { detectFeatures, type FeaturePath } from '../valkey/features';
import { listLabKeys } from '../valkey/keys';

/** What a hold did, and which way it ran. */
export interface SeatHold {
  seat: string;
  /** False when someone else holds the seat. */
  held: boolean;
  path: FeaturePath;
  command: 'HSETEX … FNX' | 'SET … NX';
}

export interface SeatHolds {
  /** The flight's HASH of holds (Valkey 9.0 and later). */
  hashKey: string;
  /** The key of one seat's hold (older servers). */
  holdKey(seat: string): string;
  /** Holds `seat` for `holder` during `ttlMs`, unless someone holds it already. */
  hold(seat: string, holder: string, ttlMs: number): Promise<SeatHold>;
  /** The seats held now, each with its holder (a hold past its time is not there). */
  held(): Promise<Record<string, string>>;
  /** Ends `holder`'s hold of `seat` (paid, or given up); another holder's hold stays. */
  release(seat: string, holder: string): Promise<boolean>;
  /** Ends every hold of the flight (the notebook's cleanup). */
  clear(): Promise<void>;
}

/** Deletes a hash field only while it holds the holder's name: HGET and HDEL in one step. */
const RELEASE_FIELD_LUA = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0`;

/** Deletes a hold key only while it holds the holder's name. */
const RELEASE_KEY_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * The checkout holds of flight `flightId` under `namespace` (keys `<namespace>flight:{id}:holds` and
 * `<namespace>flight:{id}:hold:<seat>`, one hash slot). Which way runs is asked of the server (`detectFeatures`).
 */
export function createSeatHolds(client: ValkeyClient, options: { flightId: number; namespace?: string }): SeatHolds {
  const base = `${options.namespace ?? ''}flight:{${options.flightId}}`;
  const hashKey = `${base}:holds`;
  const holdKey = (seat: string) => `${base}:hold:${seat}`;
  const fieldExpiry = async () => (await detectFeatures(client)).has.hashFieldExpiry;
  const requireTtl = (ttlMs: number) => {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
      throw new LabError({ what: `A hold's ttlMs must be a whole number above 0, not ${ttlMs}`, fix: 'e.g. 600_000.' });
    }
  };
  return {
    hashKey,
    holdKey,
    async hold(seat, holder, ttlMs) {
      requireTtl(ttlMs);
      if (await fieldExpiry()) {
        const reply = await callWithKey(client, 'HSETEX', hashKey, 'FNX', 'PX', ttlMs, 'FIELDS', 1, seat, holder);
        return { seat, held: Number(reply) === 1, path: 'command', command: 'HSETEX … FNX' };
      }
      const reply = await client.set(holdKey(seat), holder, 'PX', ttlMs, 'NX');
      return { seat, held: reply === 'OK', path: 'fallback', command: 'SET … NX' };
    },
    async held() {
      if (await fieldExpiry()) return client.hgetall(hashKey);
      const keys = await listLabKeys(client, holdKey('*'));
      if (keys.length === 0) return {};
      const holders = await client.mget(...keys);
      const seats: Record<string, string> = {};
      // A hold that ran out between SCAN and MGET reads null: it is not held any more.
      keys.forEach((key, i) => holders[i] !== null && (seats[key.slice(holdKey('').length)] = holders[i]!));
      return seats;
    },
    async release(seat, holder) {
      if (await fieldExpiry()) return Number(await client.eval(RELEASE_FIELD_LUA, 1, hashKey, seat, holder)) === 1;
      return Number(await client.eval(RELEASE_KEY_LUA, 1, holdKey(seat), holder)) === 1;
    },
    async clear() {
      await client.del(hashKey);
      const keys = await listLabKeys(client, holdKey('*'));
      for (const key of keys) await client.del(key);
    },
  };
}
