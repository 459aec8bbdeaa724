// A user's profile summary (HASH) and frequent routes (ZSET), computed from their flights.

import type { Cluster, Redis } from 'iovalkey';

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
