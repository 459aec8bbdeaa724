// Flights: every timetable entry on every day it flies, with the guide's story flights at the ids it names.

import { Random } from '../random';
import type { ScaleDefinition } from '../scales';
import { STORY_NOW } from '../scales';
import { dayNumber, minutesAt, weekday } from '../tsv';
import type { Schedule } from './network';

/** Flight ids the guide names: 1001/1002 leave JFK for LAX on 2025-12-15, 2001/2002 come back on 2025-12-22. */
export const STORY_FLIGHTS = [
  { flightId: 1001, flightno: 'AA123', day: '2025-12-15' },
  { flightId: 1002, flightno: 'DL456', day: '2025-12-15' },
  { flightId: 2001, flightno: 'AA124', day: '2025-12-22' },
  { flightId: 2002, flightno: 'DL457', day: '2025-12-22' },
] as const;

/** The guide's user (Steps 14-15). */
export const STORY_PASSENGER_ID = 12345;

/**
 * The guide's second frequent traveller, whose history Step 19 pre-loads beside 12345's. The id lies above the
 * smaller scales' passenger count; there the passenger is one row more (see passengerIds in people.ts).
 */
export const FREQUENT_TRAVELLER_ID = 67890;

export interface FlightLogEntry {
  flightId: number;
  /** Minutes since 1970-01-01 (UTC). */
  loggedAt: number;
  changedBy: string;
  delayMinutes: number;
  comment: string;
}

/** Flights held as columns (typed arrays indexed by flight_id - 1): 760k flights fit in a few tens of MB. */
export interface Flights {
  count: number;
  schedules: Schedule[];
  schedule: Int32Array;
  departure: Int32Array;
  arrival: Int32Array;
  log: FlightLogEntry[];
  /** Flight ids passenger 12345 is booked on, in departure order. */
  storyPassengerFlights: number[];
  /** Flight ids passenger 67890 flew, in departure order (none of them 12345's). */
  frequentTravellerFlights: number[];
}

const OPERATORS = ['ops.mueller', 'ops.garcia', 'ops.nguyen', 'ops.okafor', 'ops.larsen'];
const DELAY_REASONS = [
  'Delayed: late inbound aircraft',
  'Delayed: weather',
  'Delayed: crew duty time',
  'Delayed: air traffic control',
];

export function buildFlights(schedules: Schedule[], scale: ScaleDefinition, seed: number): Flights {
  const firstDay = dayNumber(scale.firstDay);
  const lastDay = dayNumber(scale.lastDay);
  const order = schedules
    .map((_, i) => i)
    .sort((a, b) => schedules[a]!.departureMinute - schedules[b]!.departureMinute || a - b);

  let count = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    const bit = 1 << weekday(day);
    for (const s of schedules) if (s.weekdays & bit) count++;
  }
  const largestStoryId = Math.max(...STORY_FLIGHTS.map((f) => f.flightId));
  if (count < largestStoryId)
    throw new Error(`Scale ${scale.scale} makes ${count} flights, fewer than the story's flight ${largestStoryId}.`);

  const reserved = new Map<string, number>();
  for (const story of STORY_FLIGHTS) {
    const index = schedules.findIndex((s) => s.flightno === story.flightno);
    reserved.set(`${index}@${dayNumber(story.day)}`, story.flightId);
  }
  const reservedIds = new Set(reserved.values());

  const schedule = new Int32Array(count);
  const departure = new Int32Array(count);
  const arrival = new Int32Array(count);
  let next = 1;
  for (let day = firstDay; day <= lastDay; day++) {
    const bit = 1 << weekday(day);
    for (const index of order) {
      const s = schedules[index]!;
      if (!(s.weekdays & bit)) continue;
      let id = reserved.get(`${index}@${day}`);
      if (id === undefined) {
        while (reservedIds.has(next)) next++;
        id = next++;
      }
      schedule[id - 1] = index;
      departure[id - 1] = day * 1440 + s.departureMinute;
      arrival[id - 1] = departure[id - 1]! + s.durationMinutes;
    }
  }

  // About one flight in seventy is delayed; the log keeps the planned times, the flight row the actual ones.
  // Delays are never a multiple of five minutes, so a delayed flight cannot land on another's departure minute.
  const random = Random.for(seed, 'delays');
  const log: FlightLogEntry[] = [];
  for (let id = 1; id <= count; id++) {
    if (!random.chance(1 / 70) || reservedIds.has(id)) continue;
    const delayMinutes = 5 * random.int(3, 36) + 2;
    log.push({
      flightId: id,
      loggedAt: departure[id - 1]! - random.int(30, 600),
      changedBy: random.pick(OPERATORS),
      delayMinutes,
      comment: random.pick(DELAY_REASONS),
    });
    departure[id - 1] = departure[id - 1]! + delayMinutes;
    arrival[id - 1] = arrival[id - 1]! + delayMinutes;
  }

  const flights: Flights = {
    count,
    schedules,
    schedule,
    departure,
    arrival,
    log,
    storyPassengerFlights: [],
    frequentTravellerFlights: [],
  };
  flights.storyPassengerFlights = pickStoryPassengerFlights(flights, scale);
  flights.frequentTravellerFlights = pickFrequentTravellerFlights(flights, scale);
  return flights;
}

/** The story date in minutes since 1970-01-01 (UTC): flights before it are flown. */
export const STORY_NOW_MINUTES = minutesAt(
  STORY_NOW.slice(0, 10),
  Number(STORY_NOW.slice(11, 13)) * 60 + Number(STORY_NOW.slice(14, 16)),
);

/** Flights touching one of `airports`, in departure order (ties by id). */
function flightsAt(flights: Flights, airports: readonly string[]): number[] {
  const wanted = new Set(airports);
  const candidates: number[] = [];
  for (let id = 1; id <= flights.count; id++) {
    const s = flights.schedules[flights.schedule[id - 1]!]!;
    if (wanted.has(s.from.iata ?? '') || wanted.has(s.to.iata ?? '')) candidates.push(id);
  }
  return candidates.sort((a, b) => flights.departure[a - 1]! - flights.departure[b - 1]! || a - b);
}

/**
 * Up to `count` of the `candidates` flown before the story date, spread over the months before it, none
 * overlapping another; returns them and the first minute after the last one.
 */
function spreadHistory(
  flights: Flights,
  scale: ScaleDefinition,
  candidates: readonly number[],
  count: number,
): { chosen: number[]; freeFrom: number } {
  const start = dayNumber(scale.firstDay) * 1440;
  const chosen: number[] = [];
  let freeFrom = start;
  const window = STORY_NOW_MINUTES - 180 - start;
  for (let k = 0; k < count; k++) {
    const target = Math.max(freeFrom, start + Math.floor(((k + 0.5) * window) / count));
    const id = candidates.find(
      (c) => flights.departure[c - 1]! >= target && flights.arrival[c - 1]! < STORY_NOW_MINUTES - 60,
    );
    if (id === undefined) break;
    chosen.push(id);
    freeFrom = flights.arrival[id - 1]! + 60;
  }
  return { chosen, freeFrom };
}

/**
 * Passenger 12345's trips (Step 14): a history of flown flights to and from New York and Los Angeles spread
 * over the months before the story date, possibly one in the air at that moment, and upcoming ones: the
 * guide's JFK→LAX on 2025-12-15 (flight 1001), LAX→JFK on 2025-12-22 (2001) and one more in the new year.
 * No two overlap, so "ORDER BY departure DESC LIMIT 10" has one answer.
 */
function pickStoryPassengerFlights(flights: Flights, scale: ScaleDefinition): number[] {
  const candidates = flightsAt(flights, ['JFK', 'LAX']);
  const now = STORY_NOW_MINUTES;
  const { chosen, freeFrom } = spreadHistory(flights, scale, candidates, scale.storyHistoryFlights);
  const inFlight = candidates.find(
    (c) => flights.departure[c - 1]! >= freeFrom && flights.departure[c - 1]! <= now && flights.arrival[c - 1]! > now,
  );
  if (inFlight !== undefined) chosen.push(inFlight);
  chosen.push(1001, 2001);
  const afterReturn = flights.arrival[2001 - 1]! + 5 * 1440;
  const later = candidates.find((c) => flights.departure[c - 1]! >= afterReturn);
  if (later !== undefined) chosen.push(later);
  return chosen;
}

/** Passenger 67890's history (Step 19): as many flown flights as 12345's, through Chicago and Atlanta. */
function pickFrequentTravellerFlights(flights: Flights, scale: ScaleDefinition): number[] {
  const taken = new Set(flights.storyPassengerFlights);
  const candidates = flightsAt(flights, ['ORD', 'ATL']).filter((id) => !taken.has(id));
  return spreadHistory(flights, scale, candidates, scale.storyHistoryFlights).chosen;
}
