// Notebook 02's exercises: write the cache-aside read; make it survive a damaged entry.

import type { SqlEngine } from '../db/engine';
import { airportsInCountry, prepareGuideQuery } from '../queries';
import { captureCommands, type MonitorCapture } from '../valkey/monitor';
import type { ValkeyClient } from '../valkey/client';
import { storedKey } from '../valkey/keys';
import { grade, sameAsJson, shown, type Grade, type Grading } from './grade';

/** The learner's cache-aside read: the value under `key`, from Valkey when it is there, else from `load()`. */
export type ReadThrough = <T>(key: string, ttlSeconds: number, load: () => Promise<T>) => Promise<T>;

/** The same read, told how to recognise a good entry: anything else under the key is damage, to be replaced. */
export type SafeReadThrough = <T>(
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
  isValid: (value: unknown) => value is T,
) => Promise<T>;

interface GradedLab {
  sql: SqlEngine;
  valkey: ValkeyClient;
}

/** The key a grader reads through: the lab's prefix is added by the client, as for every lab key. */
const graderKey = (exercise: string, ttl: number) => `exercise:02:${exercise}:ttl${ttl}`;

/** A loader of the airports of one country that counts how often the learner's code calls it. */
function countingLoader(sql: SqlEngine, country: string) {
  const query = prepareGuideQuery(airportsInCountry, sql.kind, { country });
  const loader = {
    calls: 0,
    load: async () => {
      loader.calls += 1;
      return (await sql.query(query.sql, query.params)).rows;
    },
  };
  return loader;
}

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

const callsSeen = (n: number) => `${n} call${n === 1 ? '' : 's'} to load()`;

/**
 * Grades "Your turn 2.1": the first read misses, asks the database once and stores its JSON under the key with
 * the TTL given; the second is a hit that returns the same rows without the database; Valkey sees GET, SET, GET.
 */
export async function gradeReadThrough(lab: GradedLab, readThrough: ReadThrough): Promise<Grade> {
  const ttl = 120;
  const key = graderKey('read-through', ttl);
  let capture: MonitorCapture | undefined;
  return grade(
    { id: 'read-through', number: '2.1' },
    async (g) => {
      await lab.valkey.del(key);
      const loader = countingLoader(lab.sql, 'Germany');
      const rows = await loader.load();
      loader.calls = 0;
      capture = await captureCommands(lab.valkey);

      const first = await g.attempt('the first read', () => readThrough(key, ttl, loader.load), RAN_INTO_ERROR);
      g.expect(loader.calls === 1, 'the first read misses and asks the database once', {
        expected: '1 call to load()',
        seen: callsSeen(loader.calls),
        hint: 'on a miss (GET returns null), call load() once',
      });
      g.expect(sameAsJson(first, rows), "it returns the database's rows", {
        expected: `${rows.length} airports`,
        seen: shown(first),
        hint: 'return the value load() gave you',
      });
      const second = await g.attempt('the second read', () => readThrough(key, ttl, loader.load), RAN_INTO_ERROR);
      g.expect(loader.calls === 1, 'the second read is a hit: no database call', {
        expected: '1 call to load() in two reads',
        seen: callsSeen(loader.calls),
        hint: 'SET the very key you were given, and when GET finds it, return its value without calling load()',
      });
      g.expect(sameAsJson(second, rows), 'the hit returns the same rows, as objects', {
        expected: `${rows.length} airports (an array)`,
        seen: typeof second === 'string' ? 'a string of JSON' : shown(second),
        hint: 'Valkey gives back the text you stored: JSON.parse it',
      });
      // The grader's own reads come after MONITOR stops, so it sees the learner's commands only.
      const seen = await capture.stop();
      const written = seen.filter((c) => c.command === 'SET' || c.command === 'SETEX').map((c) => c.args[0]);
      g.expect(written.includes(storedKey(lab.valkey, key)), 'the answer is stored under the key you were given', {
        expected: `SET ${storedKey(lab.valkey, key)} …`,
        seen: written.length ? `SET ${written.join(', ')}` : 'no SET',
        hint: 'SET the key your function received as its first argument',
      });
      g.expect(
        seen.length === 3 && seen[0]?.command === 'GET' && written.length === 1 && seen[2]?.command === 'GET',
        'Valkey saw GET, SET, GET: one round trip for a hit',
        {
          expected: 'GET, SET … EX (or SETEX), GET',
          seen: seen.map((c) => c.command).join(', ') || 'no command',
          hint: 'a miss is one GET and one SET with its expiry; a hit is one GET',
        },
      );
      await checkStored(g, lab.valkey, key, rows, ttl);
    },
    async () => {
      await capture?.stop();
      await lab.valkey.del(key);
    },
  );
}

/** The entry under `key` must be the rows as JSON (`replaced`: after damage), expiring within `ttl` seconds. */
async function checkStored(
  g: Grading,
  valkey: ValkeyClient,
  key: string,
  rows: unknown,
  ttl: number,
  replaced?: string,
): Promise<void> {
  const stored = await valkey.get(key);
  g.expect(
    stored !== null && parsesTo(stored, rows),
    replaced ? `${replaced} is replaced by the rows as JSON` : 'the stored value is the rows as JSON',
    {
      expected: 'JSON.stringify(rows)',
      seen: shown(stored),
      hint: replaced
        ? 'after loading, SET the good value over the damaged one'
        : 'Valkey stores text: JSON.stringify the rows before SET',
    },
  );
  const left = await valkey.ttl(key);
  g.expect(
    left > 0 && left <= ttl,
    `${replaced ? `in place of ${replaced}, the entry` : 'the entry'} expires within the TTL given (${ttl} s)`,
    {
      expected: `a TTL of at most ${ttl} s`,
      seen: left === -1 ? 'no expiry (TTL -1)' : `TTL ${left} s`,
      hint: "SET key value 'EX' ttlSeconds: use the TTL your function received",
    },
  );
}

function parsesTo(text: string, value: unknown): boolean {
  try {
    return sameAsJson(JSON.parse(text), value);
  } catch {
    return false;
  }
}

/** Entries the grader plants, as a bug, a manual edit or a cut-off write might leave them. */
const DAMAGED_ENTRIES = [
  { what: 'JSON cut off half-way', value: '[{"name": "Berlin Bra' },
  { what: 'JSON of another shape', value: '{"name": "Berlin Brandenburg"}' },
  { what: 'an empty string', value: '' },
];

/**
 * Grades "Your turn 2.2": with a damaged entry under the key (cut-off JSON, JSON of another shape, an empty
 * string), the read answers from the database, replaces the entry with good JSON and its TTL, and the next read
 * is a hit.
 */
export async function gradeSafeReadThrough(lab: GradedLab, safeReadThrough: SafeReadThrough): Promise<Grade> {
  const ttl = 90;
  const key = graderKey('damaged-entry', ttl);
  const isAirportList = (value: unknown): value is Record<string, unknown>[] =>
    Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null && 'iata' in row);
  return grade(
    { id: 'damaged-entry', number: '2.2' },
    async (g) => {
      const loader = countingLoader(lab.sql, 'Germany');
      const rows = await loader.load();
      for (const damage of DAMAGED_ENTRIES) {
        await lab.valkey.set(key, damage.value, 'EX', ttl);
        loader.calls = 0;
        const read = await g.attempt(
          `with ${damage.what} under the key, the read answers`,
          () => safeReadThrough(key, ttl, loader.load, isAirportList),
          'a damaged entry must not fail the read: catch what JSON.parse throws and treat the entry as a miss',
        );
        g.expect(sameAsJson(read, rows) && loader.calls === 1, `with ${damage.what}, it answers from the database`, {
          expected: `the ${rows.length} airports, from 1 call to load()`,
          seen: `${shown(read, 60)}, ${callsSeen(loader.calls)}`,
          hint: 'an entry that does not parse, or fails isValid(), counts as a miss',
        });
        await checkStored(g, lab.valkey, key, rows, ttl, damage.what);
      }
      loader.calls = 0;
      const hit = await g.attempt(
        'the next read',
        () => safeReadThrough(key, ttl, loader.load, isAirportList),
        RAN_INTO_ERROR,
      );
      g.expect(sameAsJson(hit, rows) && loader.calls === 0, 'once replaced, the entry is a hit again', {
        expected: 'the rows, with no call to load()',
        seen: `${shown(hit, 60)}, ${callsSeen(loader.calls)}`,
        hint: 'a good entry is returned as it is',
      });
    },
    () => lab.valkey.del(key),
  );
}
