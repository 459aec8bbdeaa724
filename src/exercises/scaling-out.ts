// Notebook 08's exercises: hash tags that let a two-key script run on a cluster; one MGET per slot. Graded on the
// notebook's local cluster.

import type { Cluster } from 'iovalkey';
import { nodeAddress } from '../valkey/client';
import { nodeForKey, storedKey } from '../valkey/keys';
import { parseInfo } from '../valkey/info';
import { errorMessage } from '../errors';
import { grade, shown, type Grade } from './grade';

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

/** The learner's key names for one flight's free-seat counter and seat map. */
export type SeatKeyNames = (flightId: number) => { seats: string; seatmap: string };

/** Flights the grader names keys for: enough that keys with a per-flight tag land on every primary. */
const FLIGHTS = Array.from({ length: 30 }, (_, i) => 1001 + i);

/** Books nothing: touches both keys in one script, as the seat booking does (KEYS[1] counter, KEYS[2] map). */
const TWO_KEY_SCRIPT = `redis.call('SET', KEYS[1], ARGV[1], 'EX', 60)
redis.call('HSET', KEYS[2], 'checked', ARGV[1])
redis.call('EXPIRE', KEYS[2], 60)
return 1`;

/**
 * Grades "Your turn 8.1": for 30 flights, the learner's two key names are distinct and name the flight; a script on
 * both keys runs on the cluster (no CROSSSLOT); both keys of a flight hash to one slot; and the flights spread over
 * the primaries instead of all landing on one.
 */
export async function gradeHashTags(cluster: Cluster, seatKeyNames: SeatKeyNames): Promise<Grade> {
  const written: string[] = [];
  return grade(
    { id: 'hash-tags', number: '8.1' },
    async (g) => {
      const names = await g.attempt(
        'your key names',
        () => FLIGHTS.map((flight) => ({ flight, ...seatKeyNames(flight) })),
        RAN_INTO_ERROR,
      );
      const bad = names.find(
        (n) =>
          typeof n.seats !== 'string' ||
          typeof n.seatmap !== 'string' ||
          n.seats === n.seatmap ||
          ![n.seats, n.seatmap].every((k) => k.includes(String(n.flight))),
      );
      g.expect(bad === undefined, "two different names per flight, each with the flight's id", {
        expected: '{ seats, seatmap }, e.g. for 1001 two keys that contain 1001',
        seen: shown(bad),
        hint: 'return { seats: `flight:…:seats`, seatmap: `flight:…:seatmap` } with the id in both',
      });
      let refused: string | undefined;
      for (const { flight, seats, seatmap } of names) {
        written.push(seats, seatmap);
        try {
          await cluster.eval(TWO_KEY_SCRIPT, 2, seats, seatmap, String(flight));
        } catch (error) {
          refused ??= `${seats} + ${seatmap}: ${errorMessage(error)}`;
        }
      }
      g.expect(refused === undefined, "a script on both of a flight's keys runs on the cluster", {
        expected: 'no CROSSSLOT error',
        seen: refused ?? '',
        hint: 'only a hash tag decides the slot: put the same {part} in both names, e.g. flight:{1001}:seats',
      });
      const slots = await Promise.all(
        names.map(async (n) =>
          [n.seats, n.seatmap].map((k) => cluster.call('CLUSTER', 'KEYSLOT', storedKey(cluster, k))),
        ),
      );
      const pairs = await Promise.all(slots.map((pair) => Promise.all(pair)));
      const split = pairs.findIndex(([a, b]) => a !== b);
      g.expect(split < 0, 'both keys of every flight hash to one slot', {
        expected: 'CLUSTER KEYSLOT equal for seats and seatmap',
        seen: split < 0 ? '' : `flight ${FLIGHTS[split]}: slots ${pairs[split]!.join(' and ')}`,
        hint: 'the tag must be the same text in both names',
      });
      const primaries = new Set(
        await Promise.all(names.map(async (n) => nodeAddress(await nodeForKey(cluster, storedKey(cluster, n.seats))))),
      );
      const owners = cluster.nodes('master').length;
      g.expect(
        primaries.size > 1,
        `the ${FLIGHTS.length} flights spread over the primaries (${primaries.size} of ${owners})`,
        {
          expected: `keys on more than one of the ${owners} primaries`,
          seen: `every flight on ${[...primaries][0]}`,
          hint: 'a tag shared by all flights ({flights}) pins them to one slot, so one primary serves them all: tag with the flight id',
        },
      );
    },
    async () => {
      if (written.length > 0) await Promise.all(written.map((key) => cluster.del(key).catch(() => 0)));
    },
  );
}

/** The learner's multi-key read on a cluster: the values of `keys`, in order, null for a missing key. */
export type ReadMany = (cluster: Cluster, keys: string[]) => Promise<Array<string | null>>;

/** MGET and GET calls so far on every primary (INFO commandstats). */
async function readCalls(cluster: Cluster): Promise<{ mget: number; get: number }> {
  let mget = 0;
  let get = 0;
  for (const node of cluster.nodes('master')) {
    const stats = parseInfo(await node.info('commandstats')).commandstats ?? {};
    const calls = (command: string) => Number(/calls=(\d+)/.exec(String(stats[`cmdstat_${command}`] ?? ''))?.[1] ?? 0);
    mget += calls('mget');
    get += calls('get');
  }
  return { mget, get };
}

/**
 * Grades "Your turn 8.2": 60 cached airports in six pages (a hash tag each), and 4 missing keys, read in one call: the
 * values come back in order (null for the missing), without a CROSSSLOT error, with one MGET per slot the keys
 * fall in and no single GETs (INFO commandstats of every primary, before and after).
 */
export async function gradeReadMany(cluster: Cluster, readMany: ReadMany): Promise<Grade> {
  // Six pages of ten airports, each page under a tag of its own (so ten keys share a slot), and four missing keys.
  const present = Array.from({ length: 60 }, (_, i) => `exercise:08:{page${Math.floor(i / 10)}}:airport:${i}`);
  const keys = [...present.slice(0, 30), 'exercise:08:missing:a', ...present.slice(30), 'exercise:08:missing:b'];
  keys.splice(10, 0, 'exercise:08:missing:c', 'exercise:08:missing:d');
  return grade(
    { id: 'read-many', number: '8.2' },
    async (g) => {
      await Promise.all(present.map((key, i) => cluster.set(key, `value ${i}`, 'EX', 60)));
      const expected = keys.map((key) => (key.includes(':missing:') ? null : `value ${present.indexOf(key)}`));
      const slots = new Set(
        await Promise.all(keys.map((key) => cluster.call('CLUSTER', 'KEYSLOT', storedKey(cluster, key)))),
      );
      const before = await readCalls(cluster);
      const values = await g.attempt(
        `read ${keys.length} keys in ${slots.size} slots`,
        () => readMany(cluster, [...keys]),
        'a multi-key command may only name keys of one slot: group the keys by keySlot(storedKey(cluster, key)), one MGET per group',
      );
      const after = await readCalls(cluster);
      const wrong = keys.findIndex((_, i) => values?.[i] !== expected[i]);
      g.expect(
        Array.isArray(values) && values.length === keys.length && wrong < 0,
        'every value comes back in the order asked, null for a missing key',
        {
          expected: `${keys.length} values, e.g. [${expected
            .slice(8, 12)
            .map((v) => shown(v))
            .join(', ')}] at 8…11`,
          seen: Array.isArray(values) ? `at ${wrong}: ${shown(values[wrong])} for ${keys[wrong]}` : shown(values),
          hint: "put each MGET's replies back at the positions of its keys",
        },
      );
      const mgets = after.mget - before.mget;
      const gets = after.get - before.get;
      g.expect(mgets === slots.size && gets === 0, `one MGET per slot: ${slots.size} MGETs, no single GET`, {
        expected: `${slots.size} MGET, 0 GET`,
        seen: `${mgets} MGET, ${gets} GET`,
        hint: 'one MGET for each slot the keys fall in, with all of that slot’s keys: fewer round trips than a GET per key',
      });
    },
    async () => {
      await Promise.all(present.map((key) => cluster.del(key).catch(() => 0)));
    },
  );
}
