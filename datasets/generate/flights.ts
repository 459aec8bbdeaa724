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

  const flights: Flights = { count, schedules, schedule, departure, arrival, log, storyPassengerFlights: [] };
  flights.storyPassengerFlights = pickStoryPassengerFlights(flights, scale);
  return flights;
}

/**
 * Passenger 12345's trips (Step 14): a history of flown flights to and from New York and Los Angeles spread
 * over the months before the story date, possibly one in the air at that moment, and upcoming ones: the
 * guide's JFK→LAX on 2025-12-15 (flight 1001), LAX→JFK on 2025-12-22 (2001) and one more in the new year.
 * No two overlap, so "ORDER BY departure DESC LIMIT 10" has one answer.
 */
function pickStoryPassengerFlights(flights: Flights, scale: ScaleDefinition): number[] {
  const coastToCoast = new Set(['JFK', 'LAX']);
  const candidates: number[] = [];
  for (let id = 1; id <= flights.count; id++) {
    const s = flights.schedules[flights.schedule[id - 1]!]!;
    if (coastToCoast.has(s.from.iata ?? '') || coastToCoast.has(s.to.iata ?? '')) candidates.push(id);
  }
  candidates.sort((a, b) => flights.departure[a - 1]! - flights.departure[b - 1]! || a - b);

  const now = minutesAt(STORY_NOW.slice(0, 10), Number(STORY_NOW.slice(11, 13)) * 60 + Number(STORY_NOW.slice(14, 16)));
  const start = dayNumber(scale.firstDay) * 1440;
  const chosen: number[] = [];
  let freeFrom = start;
  const window = now - 180 - start;
  for (let k = 0; k < scale.storyHistoryFlights; k++) {
    const target = Math.max(freeFrom, start + Math.floor(((k + 0.5) * window) / scale.storyHistoryFlights));
    const id = candidates.find((c) => flights.departure[c - 1]! >= target && flights.arrival[c - 1]! < now - 60);
    if (id === undefined) break;
    chosen.push(id);
    freeFrom = flights.arrival[id - 1]! + 60;
  }
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
