// A user's profile summary (HASH) and frequent routes (ZSET), computed from their flights.

import type { Cluster, Redis } from 'iovalkey';
import { ENTRY_MAX_CHARS, isWrongType, wrongTypeProblem, type EntryCheck } from '../patterns/entries';

/** One flight of a user, as `userTravelRows` returns it. */
export interface TravelRow {
  departure: Date | string;
  airline_name: string;
  dep_iata: string;
  arr_iata: string;
  dep_lat: number | string;
  dep_lon: number | string;
  arr_lat: number | string;
  arr_lon: number | string;
  price: number | string;
}

/** The guide's `user:{id}:profile` fields, as the HASH stores them (strings). */
export interface ProfileSummary {
  total_flights: string;
  flown_flights: string;
  miles_flown: string;
  favorite_airline: string;
  total_spent: string;
  status: string;
}

/** Status tiers by flights flown, highest first (the lab's own thresholds). */
export const STATUS_TIERS: ReadonlyArray<{ status: string; minFlights: number }> = [
  { status: 'Platinum', minFlights: 50 },
  { status: 'Gold', minFlights: 25 },
  { status: 'Silver', minFlights: 10 },
  { status: 'Member', minFlights: 0 },
];

const EARTH_RADIUS_MILES = 3958.8;

/** Great-circle distance between two points, in statute miles (haversine). */
export function greatCircleMiles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The profile summary at `now`: every booked flight counts towards total_flights, only those already
 * departed towards miles, status and the favourite airline (the one flown most; ties by name).
 */
export function profileSummary(rows: readonly TravelRow[], now: Date): ProfileSummary {
  const flown = rows.filter((row) => new Date(row.departure).getTime() < now.getTime());
  const miles = flown.reduce(
    (sum, r) => sum + greatCircleMiles(Number(r.dep_lat), Number(r.dep_lon), Number(r.arr_lat), Number(r.arr_lon)),
    0,
  );
  const byAirline = new Map<string, number>();
  for (const row of flown) byAirline.set(row.airline_name, (byAirline.get(row.airline_name) ?? 0) + 1);
  const favorite = [...byAirline].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
  const spent = rows.reduce((sum, row) => sum + Number(row.price), 0);
  const tier = STATUS_TIERS.find((t) => flown.length >= t.minFlights)!;
  return {
    total_flights: String(rows.length),
    flown_flights: String(flown.length),
    miles_flown: String(Math.round(miles)),
    favorite_airline: favorite,
    total_spent: spent.toFixed(2),
    status: tier.status,
  };
}

/** How often the user flew each route (`FROM:TO`), most frequent first (ties by route). */
export function routeCounts(rows: readonly TravelRow[]): Array<{ route: string; flights: number }> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const route = `${row.dep_iata}:${row.arr_iata}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts]
    .map(([route, flights]) => ({ route, flights }))
    .sort((a, b) => b.flights - a.flights || a.route.localeCompare(b.route));
}

/**
 * Replaces a HASH and a ZSET in one MULTI, each with a TTL: a reader sees the old pair or the new pair,
 * never a half-written one. (The keys differ in slot on a cluster unless they share a hash tag.)
 */
export async function storeProfile(
  valkey: Redis | Cluster,
  keys: { profile: string; routes: string },
  summary: ProfileSummary,
  routes: ReadonlyArray<{ route: string; flights: number }>,
  ttlSeconds: number,
): Promise<void> {
  const tx = valkey
    .multi()
    .del(keys.profile, keys.routes)
    .hset(keys.profile, { ...summary });
  if (routes.length > 0) tx.zadd(keys.routes, ...routes.flatMap((r) => [r.flights, r.route]));
  await tx.expire(keys.profile, ttlSeconds).expire(keys.routes, ttlSeconds).exec();
}

/** A user's cached profile: the summary HASH and the frequent routes ZSET, most frequent first. */
export interface CachedProfile {
  summary: ProfileSummary;
  routes: Array<{ route: string; flights: number }>;
}

/**
 * How a profile read went: `hit`; `miss` (computed and stored); `malformed` (the keys held something that is
 * not a profile this lab stores: another type, missing or non-numeric fields, routes that do not add up to
 * the flights, oversize; computed and replaced).
 */
export interface ProfileRead extends CachedProfile {
  outcome: 'hit' | 'miss' | 'malformed';
  elapsedMs: number;
  problem?: string;
}

/**
 * Reads a profile (HGETALL and ZREVRANGE in one MULTI); when the keys are missing or damaged, computes it
 * with `load` and stores it with `storeProfile`, which replaces both keys whatever they held.
 */
export async function readProfile(
  valkey: Redis | Cluster,
  keys: { profile: string; routes: string },
  ttlSeconds: number,
  load: () => Promise<CachedProfile>,
): Promise<ProfileRead> {
  const started = performance.now();
  const replies = await valkey.multi().hgetall(keys.profile).zrevrange(keys.routes, 0, -1, 'WITHSCORES').exec();
  const [hash, routes] = (replies ?? []).map(([error, reply]) => (error ? error : reply));
  const failed = [hash, routes].find((reply) => reply instanceof Error);
  if (failed && !isWrongType(failed)) throw failed;
  let problem: string | undefined;
  if (failed) {
    problem = wrongTypeProblem(failed);
  } else {
    const cached = profileFrom(hash as Record<string, string>, routes as string[]);
    if (cached?.ok) return { ...cached.value, outcome: 'hit', elapsedMs: performance.now() - started };
    problem = cached?.problem;
  }
  const fresh = await load();
  await storeProfile(valkey, keys, fresh.summary, fresh.routes, ttlSeconds);
  return {
    ...fresh,
    ...(problem ? { outcome: 'malformed', problem } : { outcome: 'miss' }),
    elapsedMs: performance.now() - started,
  };
}

const PROFILE_FIELDS = ['total_flights', 'flown_flights', 'miles_flown', 'favorite_airline', 'total_spent', 'status'];
const WHOLE = /^\d{1,15}$/;

/** A profile from what HGETALL and ZREVRANGE returned: null when both keys are missing, else usable or why not. */
function profileFrom(hash: Record<string, string>, flat: string[]): EntryCheck<CachedProfile> | null {
  if (Object.keys(hash).length === 0 && flat.length === 0) return null;
  const bad = (problem: string) => ({ ok: false as const, problem });
  const size = [...Object.entries(hash).flat(), ...flat].reduce((sum, text) => sum + text.length, 0);
  if (size > ENTRY_MAX_CHARS) return bad(`profile is ${size} characters, over the ${ENTRY_MAX_CHARS} limit`);
  const missing = PROFILE_FIELDS.filter((field) => hash[field] === undefined);
  if (missing.length > 0) return bad(`profile lacks ${missing.join(', ')}`);
  const counts = [hash.total_flights!, hash.flown_flights!, hash.miles_flown!];
  if (!counts.every((count) => WHOLE.test(count)) || !/^\d+\.\d\d$/.test(hash.total_spent!))
    return bad('profile has counts or an amount that are not numbers');
  if (!STATUS_TIERS.some((tier) => tier.status === hash.status)) return bad(`unknown status "${hash.status}"`);
  const routes: Array<{ route: string; flights: number }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) routes.push({ route: flat[i]!, flights: Number(flat[i + 1]) });
  const flights = routes.reduce((sum, r) => sum + r.flights, 0);
  if (!routes.every((r) => Number.isInteger(r.flights) && r.flights > 0) || flights !== Number(hash.total_flights))
    return bad(`routes count ${flights} flights, the profile ${hash.total_flights}`);
  const summary = Object.fromEntries(PROFILE_FIELDS.map((field) => [field, hash[field]!])) as unknown as ProfileSummary;
  // routeCounts' order (ties by route), so a hit and a miss return the same list.
  routes.sort((a, b) => b.flights - a.flights || a.route.localeCompare(b.route));
  return { ok: true, value: { summary, routes } };
}
