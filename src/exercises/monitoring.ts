// Notebook 07's exercises: the memory alert as a script that fires at its threshold and not before; the hit ratio
// of a window of traffic rather than of the server's lifetime. Both graded on a private Valkey.

import type Redis from 'iovalkey';
import { formatNumber } from '../show/format';
import { connectValkeyUrl } from '../valkey/client';
import { parseInfo } from '../valkey/info';
import { adminCommand, type PrivateValkey } from '../valkey/server';
import { grade, shown, type Grade } from './grade';
import { scratchServer } from './scratch';

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

/** The threshold Your turn 7.2 is graded with: not the guide's 80%, so a script must read it from ARGV[1]. */
export const ALERT_EXERCISE_THRESHOLD = 0.7;
const MAXMEMORY = 4 * 1024 * 1024;

/** A private server and a connection to it, without key prefix, for one grade. */
async function graderServer(config: Record<string, string>): Promise<{ server: PrivateValkey; client: Redis }> {
  const server = await scratchServer(config);
  try {
    return { server, client: await connectValkeyUrl(server.url, { keyPrefix: '' }) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

type AlertReply = [string, number, number];

function isAlertReply(reply: unknown): reply is AlertReply {
  return (
    Array.isArray(reply) &&
    reply.length === 3 &&
    typeof reply[0] === 'string' &&
    Number.isFinite(Number(reply[1])) &&
    Number.isFinite(Number(reply[2]))
  );
}

/**
 * Grades "Your turn 7.2": the learner's Lua script, run with the threshold as ARGV[1] on a private server with
 * `maxmemory` 4 MB (noeviction) while it fills, answers `{ status, used, max }` with the server's own figures; it
 * says OK at every reading at or below the threshold and ALERT at every reading above it; and on a server without
 * maxmemory it says NO-LIMIT.
 */
export async function gradeMemoryAlert(alertScript: string | (() => string)): Promise<Grade> {
  let running: { server: PrivateValkey; client: Redis } | undefined;
  return grade(
    { id: 'memory-alert', number: '7.2' },
    async (g) => {
      const script =
        typeof alertScript === 'function' ? await g.attempt('your script', alertScript, RAN_INTO_ERROR) : alertScript;
      running = await graderServer({ maxmemory: String(MAXMEMORY), 'maxmemory-policy': 'noeviction' });
      const { client } = running;
      const threshold = String(ALERT_EXERCISE_THRESHOLD);
      const run = () =>
        g.attempt(
          'your script runs on the server',
          () => client.eval(script, 0, threshold),
          'scripts may not call CONFIG ("not allowed from script"): read both figures from INFO memory',
        );
      const first = await run();
      g.expect(isAlertReply(first), 'your script answers { status, used_memory, maxmemory }', {
        expected: `a table of three: a status and two numbers, e.g. ${shown(['OK', 1048576, MAXMEMORY])}`,
        seen: shown(first),
        hint: 'return { status, used, max } from the script: Lua tables come back as arrays',
      });
      const [, , max] = first as AlertReply;
      g.expect(Number(max) === MAXMEMORY, `it reads maxmemory from INFO memory (${formatNumber(MAXMEMORY)} bytes)`, {
        expected: formatNumber(MAXMEMORY),
        seen: shown(max),
        hint: "string.match(info, 'maxmemory:(%d+)') finds it; tonumber() makes it a number",
      });
      const readings: Array<{ status: string; used: number; actual: number; ratio: number }> = [];
      const value = 'x'.repeat(1000);
      for (let batch = 0; batch < 100; batch++) {
        const reply = await run();
        if (!isAlertReply(reply)) break;
        const actual = Number(parseInfo(await client.info('memory')).memory.used_memory);
        readings.push({ status: reply[0], used: Number(reply[1]), actual, ratio: Number(reply[1]) / MAXMEMORY });
        if (actual > 0.9 * MAXMEMORY) break;
        const pipeline = client.pipeline();
        for (let k = 0; k < 100; k++) pipeline.set(`fill:${batch}:${k}`, value);
        await pipeline.exec();
      }
      const far = readings.find((r) => Math.abs(r.used - r.actual) > 0.05 * r.actual);
      g.expect(far === undefined, "it reads used_memory from INFO memory: the server's own figure", {
        expected: 'used_memory as INFO memory reports it, within 5%',
        seen: far ? `${formatNumber(far.used)} where INFO said ${formatNumber(far.actual)}` : '',
        hint: "string.match(info, 'used_memory:(%d+)'): the first number after used_memory:",
      });
      const below = readings.filter((r) => r.ratio <= ALERT_EXERCISE_THRESHOLD);
      const above = readings.filter((r) => r.ratio > ALERT_EXERCISE_THRESHOLD);
      const earlyAlert = below.find((r) => r.status !== 'OK');
      g.expect(
        earlyAlert === undefined,
        `not before: every reading at or below ${100 * ALERT_EXERCISE_THRESHOLD}% says OK (${below.length} readings)`,
        {
          expected: "'OK' up to the threshold",
          seen: `'${earlyAlert?.status}' at ${(100 * (earlyAlert?.ratio ?? 0)).toFixed(1)}% of maxmemory`,
          hint: "compare used > max * threshold, with the threshold from tonumber(ARGV[1]); say 'OK' otherwise",
        },
      );
      const silent = above.find((r) => r.status !== 'ALERT');
      g.expect(
        above.length > 0 && silent === undefined,
        `it fires: every reading above ${100 * ALERT_EXERCISE_THRESHOLD}% says ALERT (${above.length} readings)`,
        {
          expected: "'ALERT' past the threshold the grader passes as ARGV[1]",
          seen: silent
            ? `'${silent.status}' at ${(100 * silent.ratio).toFixed(1)}% of maxmemory`
            : 'no reading above the threshold',
          hint: `the grader passes ${threshold} as ARGV[1], not the guide's 0.8: use tonumber(ARGV[1])`,
        },
      );
      await adminCommand(client, 'CONFIG', 'SET', 'maxmemory', '0');
      const unlimited = await run();
      g.expect(
        isAlertReply(unlimited) && unlimited[0] === 'NO-LIMIT',
        'on a server without maxmemory it says NO-LIMIT',
        {
          expected: "'NO-LIMIT' when maxmemory is 0",
          seen: shown(unlimited),
          hint: 'maxmemory 0 means no limit: used > 0 × threshold would alert on every call; test max == 0 first',
        },
      );
    },
    async () => {
      running?.client.disconnect();
      await running?.server.stop();
    },
  );
}

/** The learner's windowed hit ratio: of the lookups `work` made, the share that hit. */
export type HitRatioDuring = (valkey: Redis, work: () => Promise<void>) => Promise<number>;

/**
 * Grades "Your turn 7.1": on a private server whose lifetime counters already hold 3,000 misses, the learner's
 * function measures a window of work that makes 800 hits and 200 misses: it must answer 80%, not the lifetime 20%.
 */
export async function gradeWindowHitRatio(hitRatioDuring: HitRatioDuring): Promise<Grade> {
  let running: { server: PrivateValkey; client: Redis } | undefined;
  return grade(
    { id: 'window-hit-ratio', number: '7.1' },
    async (g) => {
      running = await graderServer({});
      const { client } = running;
      // The server's past: 3,000 lookups that all missed.
      await client.pipeline(Array.from({ length: 3_000 }, (_, i) => ['get', `past:${i}`])).exec();
      await client.mset(...Array.from({ length: 800 }, (_, i) => [`route:${i}`, 'cached']).flat());
      let calls = 0;
      const work = async () => {
        calls += 1;
        await client
          .pipeline(Array.from({ length: 1_000 }, (_, i) => ['get', i < 800 ? `route:${i}` : `missing:${i}`]))
          .exec();
      };
      const ratio = await g.attempt(
        'your function measures the window',
        () => hitRatioDuring(client, work),
        RAN_INTO_ERROR,
      );
      g.expect(calls === 1, 'it runs the work once, between two readings', {
        expected: '1 call of work()',
        seen: `${calls} calls`,
        hint: 'read INFO stats, await work(), read INFO stats again',
      });
      g.expect(
        typeof ratio === 'number' && Math.abs(ratio - 0.8) < 0.001,
        'the window of 800 hits and 200 misses reads 80%',
        {
          expected: '0.8',
          seen:
            typeof ratio === 'number' && Math.abs(ratio - 0.2) < 0.001
              ? '0.2: the lifetime ratio, with the 3,000 earlier misses'
              : typeof ratio === 'number' && Math.abs(ratio - 4) < 0.001
                ? '4: hits ÷ misses'
                : shown(ratio),
          hint: 'subtract the keyspace_hits and keyspace_misses read before from those read after, then hits ÷ (hits + misses)',
        },
      );
    },
    async () => {
      running?.client.disconnect();
      await running?.server.stop();
    },
  );
}
