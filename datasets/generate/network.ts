// The route network and the timetable: who flies where (routes), and which flight numbers fly when (schedules).

import type { Airline, Airport, Reference } from '../reference';
import { Random, WeightedChoice } from '../random';
import type { ScaleDefinition } from '../scales';
import { AIRPLANE_TYPES, FleetBuilder, type Airplane } from './fleet';

export interface Route {
  routeId: number;
  airline: Airline;
  source: Airport;
  destination: Airport;
  codeshare: boolean;
  equipment: string;
}

export interface Schedule {
  flightno: string;
  from: Airport;
  to: Airport;
  airline: Airline;
  airplane: Airplane;
  /** Departure, minutes after midnight UTC. */
  departureMinute: number;
  durationMinutes: number;
  distanceKm: number;
  /** Bit 0 = Monday ... bit 6 = Sunday. */
  weekdays: number;
}

/** The guide's five hubs (Part 4's BI query). */
export const GUIDE_HUBS = ['ATL', 'ORD', 'JFK', 'LAX', 'DFW'] as const;

/**
 * The busiest hub routes. Each gets a different number of airlines (codeshares included), all above any
 * other route's count, so the guide's "routes from major hubs ... ORDER BY route_count DESC LIMIT 20" has
 * one answer on every engine. JFK→LAX is the busiest, as in the guide's popular-routes example.
 */
// prettier-ignore
const TRUNK_ROUTES = [
  'JFK-LAX', 'ATL-LGA', 'ORD-LGA', 'LAX-JFK', 'DFW-LAX', 'ATL-ORD', 'ORD-LAX', 'JFK-LHR', 'LAX-SFO', 'ATL-MCO',
  'DFW-ORD', 'JFK-SFO', 'ORD-SFO', 'ATL-LAX', 'LAX-ORD', 'DFW-ATL', 'JFK-CDG', 'LAX-HNL', 'ORD-DFW', 'DFW-DEN',
  'JFK-MIA', 'ATL-DFW', 'LAX-NRT', 'ORD-LHR', 'DFW-LGA',
];
const TRUNK_TOP_COUNT = 32;
/** The first trunk routes above get this many extra daily flights. */
const BUSY_TRUNK_ROUTES = 10;
const DAILY_FLIGHTS_ON_BUSY_TRUNKS = 3;
/** Ordinary routes are flown by at most this many airlines (below every trunk route's count). */
const MAX_AIRLINES_PER_ROUTE = 4;

/** The guide's flights (Steps 11-13): fixed numbers, daily, at local departure times. */
export const STORY_SCHEDULES = [
  {
    flightno: 'AA123',
    airline: 'AA',
    from: 'JFK',
    to: 'LAX',
    localDeparture: 8 * 60,
    seats: 150,
    type: 'Airbus A320-200',
  },
  {
    flightno: 'DL456',
    airline: 'DL',
    from: 'JFK',
    to: 'LAX',
    localDeparture: 14 * 60 + 15,
    seats: 160,
    type: 'Boeing 737-800',
  },
  {
    flightno: 'AA124',
    airline: 'AA',
    from: 'LAX',
    to: 'JFK',
    localDeparture: 9 * 60,
    seats: 150,
    type: 'Airbus A320-200',
  },
  {
    flightno: 'DL457',
    airline: 'DL',
    from: 'LAX',
    to: 'JFK',
    localDeparture: 15 * 60 + 30,
    seats: 160,
    type: 'Boeing 737-800',
  },
] as const;

/** Great-circle distance in km. */
export function distanceKm(a: Airport, b: Airport): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Block time: taxi and climb, then ~810 km/h, rounded to 5 minutes. */
export function flightMinutes(km: number): number {
  return Math.round((25 + km / 13.5) / 5) * 5;
}

interface AirportPools {
  served: Airport[];
  world: WeightedChoice;
  byCountry: Map<string, { airports: Airport[]; choice: WeightedChoice }>;
}

function airportPools(reference: Reference): AirportPools {
  const served = reference.airports.filter((a) => a.weight > 0);
  const grouped = new Map<string, Airport[]>();
  for (const airport of served) {
    const list = grouped.get(airport.country);
    if (list) list.push(airport);
    else grouped.set(airport.country, [airport]);
  }
  const byCountry = new Map<string, { airports: Airport[]; choice: WeightedChoice }>();
  for (const [country, airports] of grouped)
    byCountry.set(country, { airports, choice: new WeightedChoice(airports.map((a) => a.weight)) });
  return { served, world: new WeightedChoice(served.map((a) => a.weight)), byCountry };
}

interface AirlinePools {
  world: WeightedChoice;
  byCountry: Map<string, { airlines: Airline[]; choice: WeightedChoice }>;
}

function airlinePools(reference: Reference): AirlinePools {
  const byCountryList = new Map<string, Airline[]>();
  const airportById = reference.airports;
  for (const airline of reference.airlines) {
    const country = airportById[airline.baseAirportId - 1]!.country;
    const list = byCountryList.get(country);
    if (list) list.push(airline);
    else byCountryList.set(country, [airline]);
  }
  const byCountry = new Map<string, { airlines: Airline[]; choice: WeightedChoice }>();
  for (const [country, airlines] of byCountryList) {
    byCountry.set(country, { airlines, choice: new WeightedChoice(airlines.map((a) => a.weight ** 1.5)) });
  }
  return { world: new WeightedChoice(reference.airlines.map((a) => a.weight ** 1.5)), byCountry };
}

/** Airlines that would fly between two airports: mostly home carriers of either end, sometimes anyone. */
function pickAirlines(
  random: Random,
  reference: Reference,
  pools: AirlinePools,
  source: Airport,
  destination: Airport,
  count: number,
): Airline[] {
  const chosen: Airline[] = [];
  const home = [pools.byCountry.get(source.country), pools.byCountry.get(destination.country)].filter(
    (p) => p !== undefined,
  );
  for (let attempt = 0; chosen.length < count && attempt < count * 20; attempt++) {
    const pool = home.length > 0 && random.chance(0.85) ? random.pick(home) : undefined;
    const airline = pool ? pool.airlines[pool.choice.pick(random)]! : reference.airlines[pools.world.pick(random)]!;
    if (!chosen.includes(airline)) chosen.push(airline);
  }
  return chosen;
}

function equipmentFor(random: Random, km: number): string {
  const fitting = AIRPLANE_TYPES.filter((t) => t.rangeKm >= km * 1.1);
  const list = fitting.length > 0 ? fitting : AIRPLANE_TYPES.slice(-2);
  const first = random.pick(list);
  const second = random.pick(list);
  return first === second ? first.equipment : `${first.equipment} ${second.equipment}`;
}

/** The route table: trunk routes at the guide's hubs, then ordinary routes until the scale's count is reached. */
export function buildRoutes(reference: Reference, scale: ScaleDefinition, seed: number): Route[] {
  const random = Random.for(seed, 'routes');
  const airports = airportPools(reference);
  const airlines = airlinePools(reference);
  const routes: Route[] = [];
  const pairs = new Set<string>();
  const add = (airline: Airline, source: Airport, destination: Airport, codeshare: boolean) => {
    routes.push({
      routeId: routes.length + 1,
      airline,
      source,
      destination,
      codeshare,
      equipment: equipmentFor(random, distanceKm(source, destination)),
    });
  };

  // Trunk routes get distinct airline counts; the order after JFK-LAX is shuffled by the seed.
  const trunks = [TRUNK_ROUTES[0]!, ...shuffle(random, TRUNK_ROUTES.slice(1))];
  trunks.forEach((pair, rank) => {
    const [from, to] = pair.split('-') as [string, string];
    const source = reference.airportByIata.get(from)!;
    const destination = reference.airportByIata.get(to)!;
    const count = TRUNK_TOP_COUNT - rank;
    const operators = pickAirlines(random, reference, airlines, source, destination, Math.min(4, count));
    for (const story of STORY_SCHEDULES) {
      const storyAirline = reference.airlineByIata.get(story.airline)!;
      if (story.from === from && story.to === to && !operators.includes(storyAirline)) operators.unshift(storyAirline);
    }
    const codeshares: Airline[] = [];
    while (operators.length + codeshares.length < count) {
      const airline = reference.airlines[airlines.world.pick(random)]!;
      if (!operators.includes(airline) && !codeshares.includes(airline)) codeshares.push(airline);
    }
    for (const airline of operators.slice(0, count)) add(airline, source, destination, false);
    for (const airline of codeshares) add(airline, source, destination, true);
    pairs.add(`${source.airportId}-${destination.airportId}`);
  });

  while (routes.length < scale.routes) {
    const source = airports.served[airports.world.pick(random)]!;
    // Small airports mostly connect within their country; big ones anywhere.
    const domestic = airports.byCountry.get(source.country);
    const stayHome =
      domestic !== undefined && domestic.airports.length > 1 && random.chance(source.weight >= 20 ? 0.35 : 0.7);
    const destination = stayHome
      ? domestic.airports[domestic.choice.pick(random)]!
      : airports.served[airports.world.pick(random)]!;
    if (destination === source) continue;
    const km = distanceKm(source, destination);
    if (km < 100 || km > 13_500) continue;
    const key = `${source.airportId}-${destination.airportId}`;
    if (pairs.has(key)) continue;
    const roll = random.next();
    const count = roll < 0.65 ? 1 : roll < 0.87 ? 2 : roll < 0.96 ? 3 : MAX_AIRLINES_PER_ROUTE;
    const operators = pickAirlines(random, reference, airlines, source, destination, count);
    pairs.add(key);
    for (const airline of operators) add(airline, source, destination, false);
    // Most routes are flown both ways.
    const reverse = `${destination.airportId}-${source.airportId}`;
    if (!pairs.has(reverse) && random.chance(0.85)) {
      pairs.add(reverse);
      for (const airline of operators) add(airline, destination, source, false);
    }
  }
  // The last ordinary route may be cut short; its airline count only shrinks, so trunk routes stay on top.
  return routes.slice(0, scale.routes);
}

function shuffle<T>(random: Random, items: T[]): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export interface Timetable {
  schedules: Schedule[];
  airplanes: Airplane[];
}

/** A local departure time: most between 06:00 and 22:00, busiest in the morning and early evening. */
function localDeparture(random: Random): number {
  const peak = random.chance(0.5) ? random.normal(8.5 * 60, 180) : random.normal(18 * 60, 200);
  const minute = Math.min(22 * 60 + 55, Math.max(6 * 60, peak));
  return Math.round(minute / 5) * 5;
}

/** The timetable: the guide's story flights, then schedules drawn from the routes, hubs and big airlines first. */
export function buildTimetable(reference: Reference, routes: Route[], scale: ScaleDefinition, seed: number): Timetable {
  const random = Random.for(seed, 'schedules');
  const fleet = new FleetBuilder(Random.for(seed, 'fleet'));
  const schedules: Schedule[] = [];
  const taken = new Set<string>();
  const departuresOnPair = new Set<string>();
  const nextNumber = new Map<number, number>();

  const addSchedule = (s: Omit<Schedule, 'departureMinute'> & { departureMinute: number }) => {
    // Two flights of one route never leave at the same minute, so "ORDER BY departure" has one answer.
    let minute = s.departureMinute;
    while (departuresOnPair.has(`${s.from.airportId}-${s.to.airportId}-${minute}`)) minute = (minute + 5) % 1440;
    departuresOnPair.add(`${s.from.airportId}-${s.to.airportId}-${minute}`);
    taken.add(s.flightno);
    schedules.push({ ...s, departureMinute: minute });
  };

  for (const story of STORY_SCHEDULES) {
    const from = reference.airportByIata.get(story.from)!;
    const to = reference.airportByIata.get(story.to)!;
    const airline = reference.airlineByIata.get(story.airline)!;
    const type = AIRPLANE_TYPES.find((t) => t.identifier === story.type)!;
    const km = distanceKm(from, to);
    addSchedule({
      flightno: story.flightno,
      from,
      to,
      airline,
      airplane: fleet.addAirplane(airline.airlineId, type.typeId, story.seats),
      departureMinute: (story.localDeparture - from.utcOffsetMinutes + 1440) % 1440,
      durationMinutes: flightMinutes(km),
      distanceKm: km,
      weekdays: 0b1111111,
    });
  }

  /** A new flight number of the route's airline (numbers grow per airline and skip the story's), at a local daytime hour. */
  const addRouteSchedule = (route: Route, weekdays: number) => {
    const { airline, source: from, destination: to } = route;
    let number = nextNumber.get(airline.airlineId) ?? 99;
    let flightno: string;
    do {
      number += random.int(1, 7);
      flightno = `${airline.iata}${number}`;
    } while (taken.has(flightno));
    nextNumber.set(airline.airlineId, number);
    if (number > 9999) return;
    const km = distanceKm(from, to);
    addSchedule({
      flightno,
      from,
      to,
      airline,
      airplane: fleet.assign(airline.airlineId, km),
      departureMinute: (((localDeparture(random) - from.utcOffsetMinutes) % 1440) + 1440) % 1440,
      durationMinutes: flightMinutes(km),
      distanceKm: km,
      weekdays,
    });
  };

  // The busiest trunk routes get a few more daily flights by their own airlines, so a search on
  // JFK→LAX (Step 11) finds a handful of flights at every scale.
  for (const pair of TRUNK_ROUTES.slice(0, BUSY_TRUNK_ROUTES)) {
    const [from, to] = pair.split('-');
    const flown = routes.filter((r) => !r.codeshare && r.source.iata === from && r.destination.iata === to);
    for (let k = 0; k < DAILY_FLIGHTS_ON_BUSY_TRUNKS; k++) addRouteSchedule(flown[k % flown.length]!, 0b1111111);
  }

  // Busy airports, big airlines and shorter routes get most of the timetable (codeshares are sold, not flown).
  // Each airport gets its share of departures by quota rather than by chance, so even a small timetable
  // has the hubs on top; which routes fill the quota is random.
  const bySource = new Map<number, { routes: Route[]; choice: WeightedChoice; share: number; assigned: number }>();
  for (const r of routes) {
    if (r.codeshare) continue;
    const entry = bySource.get(r.source.airportId);
    if (entry) entry.routes.push(r);
    else bySource.set(r.source.airportId, { routes: [r], choice: new WeightedChoice([]), share: 0, assigned: 0 });
  }
  const routeWeight = (r: Route) =>
    (Math.sqrt(r.source.weight * r.destination.weight) * Math.sqrt(r.airline.weight)) /
    (1 + distanceKm(r.source, r.destination) / 2_500);
  const sources = [...bySource.values()];
  let totalShare = 0;
  for (const entry of sources) {
    const weights = entry.routes.map(routeWeight);
    entry.choice = new WeightedChoice(weights);
    entry.share = entry.choice.total * entry.routes[0]!.source.weight;
    totalShare += entry.share;
  }
  for (const entry of sources) entry.share /= totalShare;
  let planned = 0;
  while (schedules.length < scale.schedules) {
    planned++;
    let source = sources[0]!;
    let deficit = -Infinity;
    for (const entry of sources) {
      const d = entry.share * planned - entry.assigned;
      if (d > deficit) [source, deficit] = [entry, d];
    }
    source.assigned++;
    const route = source.routes[source.choice.pick(random)]!;
    let weekdays = 0b1111111;
    if (random.chance(0.45)) {
      weekdays = 0;
      for (let day = 0; day < 7; day++) if (random.chance(0.6)) weekdays |= 1 << day;
      if (weekdays === 0) weekdays = 1 << random.int(0, 6);
    }
    addRouteSchedule(route, weekdays);
  }
  return { schedules, airplanes: fleet.airplanes };
}

/** Fewest hops from JFK to every airport the route network reaches (FlughafenDB's airport_reachable). */
export function reachableFrom(reference: Reference, routes: Route[], originIata = 'JFK'): Map<number, number> {
  const next = new Map<number, number[]>();
  for (const r of routes) {
    const list = next.get(r.source.airportId);
    if (list) list.push(r.destination.airportId);
    else next.set(r.source.airportId, [r.destination.airportId]);
  }
  const origin = reference.airportByIata.get(originIata)!.airportId;
  const hops = new Map<number, number>([[origin, 0]]);
  let frontier = [origin];
  for (let depth = 1; frontier.length > 0; depth++) {
    const following: number[] = [];
    for (const airport of frontier) {
      for (const target of next.get(airport) ?? []) {
        if (!hops.has(target)) {
          hops.set(target, depth);
          following.push(target);
        }
      }
    }
    frontier = following;
  }
  return hops;
}
