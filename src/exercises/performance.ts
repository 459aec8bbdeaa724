// Notebook 06's exercises: choose an eviction policy and memory size that reach a target hit ratio, and predict
// it; store airports within a memory budget. Both graded on a private Valkey the grader starts and stops.

import type Redis from 'iovalkey';
import type { SqlEngine } from '../db/engine';
import { EVICTION_POLICIES, type EvictionPolicy } from '../experiments/eviction';
import { studyRun, type StudyWorkload } from '../experiments/eviction-study';
import { formatNumber } from '../show/format';
import { connectValkeyUrl } from '../valkey/client';
import type { PrivateValkey } from '../valkey/server';
import { scratchServer } from './scratch';
import { grade, shown, type Grade } from './grade';

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

/** The requests of Your turn 6.2: the lesson's fixed-popularity workload (section 7). */
export const EVICTION_EXERCISE = {
  workload: {
    keys: 4_000,
    exponent: 1,
    valueBytes: 300,
    seed: 2025,
    warmupRequests: 15_000,
    requests: 30_000,
    batchSize: 100,
    driftKeys: 0,
  },
  /** The hit ratio to reach, and the most memory for data it may take (MB above the empty server). */
  target: 0.75,
  maxRoomMb: 0.35,
  /** How far the learner's prediction may be from the measurement, in percentage points. */
  tolerancePoints: 4,
} as const satisfies { workload: StudyWorkload; target: number; maxRoomMb: number; tolerancePoints: number };

/** The learner's choice: a policy, the memory for data in MB, and the hit ratio they predict (0…1). */
export interface EvictionChoice {
  policy: string;
  roomMb: number;
  predictedHitRatio: number;
}

/**
 * Grades "Your turn 6.2": the choice names an eviction policy and at most `maxRoomMb` of memory; replayed on a
 * private server, no write is refused, the hit ratio reaches the target, and the learner's prediction is within
 * `tolerancePoints` of it.
 */
export async function gradeEvictionChoice(chooseEviction: () => EvictionChoice): Promise<Grade> {
  const { workload, target, maxRoomMb, tolerancePoints } = EVICTION_EXERCISE;
  let server: PrivateValkey | undefined;
  return grade(
    { id: 'predict-eviction', number: '6.2' },
    async (g) => {
      const choice = await g.attempt('your choice', chooseEviction, 'return { policy, roomMb, predictedHitRatio }');
      const known = (EVICTION_POLICIES as readonly string[]).includes(choice?.policy);
      g.expect(
        known && choice.roomMb > 0 && choice.roomMb <= maxRoomMb,
        `a policy, and at most ${maxRoomMb} MB for data`,
        {
          expected: `one of ${EVICTION_POLICIES.join(', ')}; roomMb in (0, ${maxRoomMb}]`,
          seen: shown(choice),
          hint: `name the policy as CONFIG SET takes it (e.g. 'allkeys-lru') and the memory in MB, at most ${maxRoomMb}`,
        },
      );
      server = await scratchServer();
      const run = await studyRun(server, {
        ...workload,
        policy: choice.policy as EvictionPolicy,
        roomMb: choice.roomMb,
      });
      const measured = `${(100 * run.hitRatio).toFixed(1)}%`;
      g.expect(run.writeErrors === 0, 'no write is refused', {
        expected: '0 refused SETs',
        seen: `${formatNumber(run.writeErrors)} SETs refused (${run.firstWriteError ?? ''})`,
        hint: 'noeviction refuses writes once memory is full: a cache needs a policy that evicts',
      });
      g.expect(
        run.hitRatio >= target,
        `the hit ratio reaches ${100 * target}% (${measured}, ${run.capacity} keys fit)`,
        {
          expected: `at least ${100 * target}%`,
          seen: `${measured} with ${choice.policy}, ${run.capacity} keys in ${choice.roomMb} MB`,
          hint: 'this workload is replayed within seconds, where LRU is no better than random (section 7): which policy learns the popular keys by counting?',
        },
      );
      const predicted = choice.predictedHitRatio;
      const off = Math.abs(100 * (predicted - run.hitRatio));
      g.expect(
        Number.isFinite(predicted) && off <= tolerancePoints,
        `your prediction is within ${tolerancePoints} points of the measurement`,
        {
          expected: `${measured} ± ${tolerancePoints} points`,
          seen:
            predicted > 1
              ? `${predicted} (a percentage? give a ratio: 0.78 for 78%)`
              : `${(100 * predicted).toFixed(1)}%`,
          hint: `keys that fit ≈ roomMb × 1,048,576 ÷ bytes per key; the theory for them (staticTopHitRatio for LFU), less the points section 7 measured between the policy and its theory`,
        },
      );
    },
    async () => {
      await server?.stop();
    },
  );
}

/** An airport as the grader hands it to the learner's store. */
export interface AirportName {
  iata: string;
  name: string;
  city: string;
}

/** The learner's store: write all airports into Valkey, then read one back by its IATA code. */
export interface AirportStore {
  store(valkey: Redis, airports: AirportName[]): Promise<void>;
  read(valkey: Redis, iata: string): Promise<{ name: string; city: string } | null>;
}

/** Bytes per airport that Your turn 6.1 allows: a key per airport costs about 100 here. */
export const AIRPORT_BUDGET_BYTES = 70;

/** The first 1,000 airports with an IATA code, with name and city: the records Your turn 6.1 stores. */
export async function airportNames(sql: SqlEngine, limit = 1_000): Promise<AirportName[]> {
  const { rows } = await sql.query<{ iata: string; name: string; city: string | null }>(
    `SELECT a.iata, a.name, g.city FROM airport a JOIN airport_geo g ON g.airport_id = a.airport_id
     WHERE a.iata IS NOT NULL ORDER BY a.airport_id LIMIT ${Math.floor(limit)}`,
  );
  const byCode = new Map(rows.map((r) => [r.iata, { iata: r.iata, name: r.name, city: r.city ?? '' }]));
  return [...byCode.values()];
}

/** MEMORY USAGE summed over every key of a server (SCAN), and how many keys there are. */
async function memoryOfAllKeys(valkey: Redis): Promise<{ bytes: number; keys: number }> {
  let bytes = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [next, found] = await valkey.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of found) bytes += Number(await valkey.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    keys += found.length;
  } while (cursor !== '0');
  return { bytes, keys };
}

/**
 * Grades "Your turn 6.1": on an empty private server, the learner's store writes 1,000 airports; every one reads
 * back with its name and city, and MEMORY USAGE of all keys stays within AIRPORT_BUDGET_BYTES per airport.
 */
export async function gradeAirportBudget(lab: { sql: SqlEngine }, airportStore: AirportStore): Promise<Grade> {
  let server: PrivateValkey | undefined;
  let valkey: Redis | undefined;
  return grade(
    { id: 'memory-budget', number: '6.1' },
    async (g) => {
      const airports = await airportNames(lab.sql);
      server = await scratchServer();
      valkey = await connectValkeyUrl(server.url, { keyPrefix: '' });
      const client = valkey;
      await g.attempt(`store ${airports.length} airports`, () => airportStore.store(client, airports), RAN_INTO_ERROR);
      const wrong: string[] = [];
      for (const airport of airports) {
        const read = await g.attempt(
          `read ${airport.iata} back`,
          () => airportStore.read(client, airport.iata),
          RAN_INTO_ERROR,
        );
        if (read?.name !== airport.name || read?.city !== airport.city)
          wrong.push(`${airport.iata} → ${shown(read, 60)}`);
      }
      g.expect(wrong.length === 0, `every one of the ${airports.length} airports reads back with its name and city`, {
        expected: `e.g. ${airports[0]!.iata} → ${shown({ name: airports[0]!.name, city: airports[0]!.city })}`,
        seen: `${wrong.length} wrong, first ${wrong[0]}`,
        hint: 'read() must find what store() wrote for that code: the same key and field, both parts of the value',
      });
      const used = await memoryOfAllKeys(client);
      const perAirport = used.bytes / airports.length;
      g.expect(
        perAirport <= AIRPORT_BUDGET_BYTES,
        `within ${AIRPORT_BUDGET_BYTES} bytes per airport (${perAirport.toFixed(1)} in ${used.keys} keys)`,
        {
          expected: `at most ${formatNumber(AIRPORT_BUDGET_BYTES * airports.length)} bytes of MEMORY USAGE`,
          seen: `${formatNumber(used.bytes)} bytes in ${formatNumber(used.keys)} keys: ${perAirport.toFixed(1)} per airport`,
          hint: 'every key costs its own overhead, and a HASH past the listpack limits becomes a hashtable: a few HASHes (buckets) of fewer than 512 short fields each stay compact',
        },
      );
    },
    async () => {
      valkey?.disconnect();
      await server?.stop();
    },
  );
}
