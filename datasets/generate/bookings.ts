// Bookings: for each flight, some of its seats, each sold once, to passengers of whom a few fly a lot.

import { Random } from '../random';
import { CHUNK_CHARS, cents, type Chunk } from '../tsv';
import { AIRPLANE_TYPES, seatLabels } from './fleet';
import { FREQUENT_TRAVELLER_ID, STORY_NOW_MINUTES, STORY_PASSENGER_ID, type Flights } from './flights';

/** Seat labels by seat index, per row layout; an index's label does not depend on the airplane's size. */
const LABELS_BY_TYPE: string[][] = AIRPLANE_TYPES.map((t) => seatLabels(600, t.letters));

/** Rows at the front sold as business class, per row width (regional airplanes have none). */
function businessRows(lettersPerRow: number): number {
  return lettersPerRow <= 4 ? 0 : lettersPerRow <= 6 ? 3 : 6;
}

/**
 * Which passengers book: a fixed shuffle of ids (an affine map modulo the passenger count) where low ranks
 * are drawn far more often (rank = count × u³: the top 1% make about a fifth of all bookings).
 */
class PassengerPicker {
  private readonly multiplier: number;
  private readonly offset: number;

  constructor(
    private readonly passengers: number,
    seed: number,
  ) {
    const random = Random.for(seed, 'passenger-shuffle');
    let multiplier = random.int(Math.floor(passengers / 3), passengers - 1);
    while (gcd(multiplier, passengers) !== 1) multiplier++;
    this.multiplier = multiplier;
    this.offset = random.int(0, passengers - 1);
  }

  pick(random: Random): number {
    const u = random.next();
    const rank = Math.floor(this.passengers * u * u * u);
    return ((this.multiplier * rank + this.offset) % this.passengers) + 1;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export interface BookingPlan {
  /** Bookings per flight (index flight_id - 1). */
  counts: Uint16Array;
  total: number;
}

export interface BookingContext {
  flights: Flights;
  capacityOf: (airplaneId: number) => number;
  typeOf: (airplaneId: number) => number;
  passengers: number;
  seed: number;
}

/** How full a flight is: flown flights mostly full, future ones filling up as they come closer. */
function seatsSold(random: Random, capacity: number, departure: number): number {
  const daysAhead = (departure - STORY_NOW_MINUTES) / 1440;
  let share = random.normal(0.47, 0.5);
  if (daysAhead > 0) share *= 0.2 + 0.8 * Math.exp(-daysAhead / 45);
  share = Math.min(1, Math.max(daysAhead > 0 ? 0.02 : 0.25, share));
  return Math.round(capacity * share);
}

/** The guide's passengers by the flights they are booked on: each has the first seat sold on those flights. */
function storySeats(flights: Flights): Map<number, number> {
  const seats = new Map<number, number>();
  for (const id of flights.frequentTravellerFlights) seats.set(id, FREQUENT_TRAVELLER_ID);
  for (const id of flights.storyPassengerFlights) seats.set(id, STORY_PASSENGER_ID);
  return seats;
}

/** Counts every flight's bookings up front (cheap), so booking ids are known and the rows can be cut into parts. */
export function planBookings(context: BookingContext): BookingPlan {
  const { flights } = context;
  const story = storySeats(flights);
  const counts = new Uint16Array(flights.count);
  let total = 0;
  for (let id = 1; id <= flights.count; id++) {
    const schedule = flights.schedules[flights.schedule[id - 1]!]!;
    const random = Random.for(context.seed, 'booking', id);
    let sold = seatsSold(random, context.capacityOf(schedule.airplane.airplaneId), flights.departure[id - 1]!);
    if (story.has(id) && sold === 0) sold = 1;
    counts[id - 1] = sold;
    total += sold;
  }
  return { counts, total };
}

export interface BookingPart {
  /** Flights firstFlight..lastFlight (inclusive). */
  firstFlight: number;
  lastFlight: number;
  firstBookingId: number;
  rows: number;
}

/** Cuts the flights into `parts` ranges with about the same number of bookings each. */
export function bookingParts(plan: BookingPlan, parts: number): BookingPart[] {
  const result: BookingPart[] = [];
  const perPart = plan.total / parts;
  let firstFlight = 1;
  let firstBookingId = 1;
  let rows = 0;
  for (let id = 1; id <= plan.counts.length; id++) {
    rows += plan.counts[id - 1]!;
    const isLast = id === plan.counts.length;
    if (isLast || (result.length < parts - 1 && firstBookingId - 1 + rows >= perPart * (result.length + 1))) {
      result.push({ firstFlight, lastFlight: id, firstBookingId, rows });
      firstBookingId += rows;
      firstFlight = id + 1;
      rows = 0;
    }
  }
  return result;
}

/** The booking rows of one part, as chunks of text. Each flight draws from its own random stream. */
export function* bookingChunks(context: BookingContext, plan: BookingPlan, part: BookingPart): Generator<Chunk> {
  const { flights, seed } = context;
  const story = storySeats(flights);
  const picker = new PassengerPicker(context.passengers, seed);
  // lastFlightOf[p] === flight id when passenger p already sits on that flight (a passenger books one seat per flight).
  const lastFlightOf = new Int32Array(Math.max(context.passengers, FREQUENT_TRAVELLER_ID) + 1);
  const seats = new Uint16Array(600);

  let bookingId = part.firstBookingId;
  // Chunks are cut here rather than by chunkLines(): at full scale this loop makes 56M rows, and one
  // generator step per row would cost seconds of the load.
  let buffer = '';
  let rows = 0;
  for (let id = part.firstFlight; id <= part.lastFlight; id++) {
    const schedule = flights.schedules[flights.schedule[id - 1]!]!;
    const airplaneId = schedule.airplane.airplaneId;
    const capacity = context.capacityOf(airplaneId);
    const typeIndex = context.typeOf(airplaneId) - 1;
    const labels = LABELS_BY_TYPE[typeIndex]!;
    const business =
      businessRows(AIRPLANE_TYPES[typeIndex]!.letters.length) * AIRPLANE_TYPES[typeIndex]!.letters.length;
    const random = Random.for(seed, 'booking', id);
    // planBookings took the count from this stream's first draws; repeat them so the rest of the stream matches.
    seatsSold(random, capacity, flights.departure[id - 1]!);
    const count = plan.counts[id - 1]!;
    // Fares grow with distance; each ticket varies around the flight's fare, business class costs more.
    const fare = 40 + 0.09 * schedule.distanceKm;
    const flightText = `\t${id}\t`;
    for (let s = 0; s < capacity; s++) seats[s] = s;
    const storyPassenger = story.get(id);
    for (let k = 0; k < count; k++) {
      const j = k + Math.floor(random.next() * (capacity - k));
      const seat = seats[j]!;
      seats[j] = seats[k]!;
      seats[k] = seat;
      let passenger: number;
      if (k === 0 && storyPassenger !== undefined) {
        passenger = storyPassenger;
      } else {
        // The guide's passengers fly only their stories, so their histories are exactly what the notebooks show.
        do passenger = picker.pick(random);
        while (
          passenger === STORY_PASSENGER_ID ||
          passenger === FREQUENT_TRAVELLER_ID ||
          lastFlightOf[passenger] === id
        );
      }
      lastFlightOf[passenger] = id;
      const price = Math.round(fare * (0.7 + 0.6 * random.next()) * (seat < business ? 2.6 : 1) * 100);
      buffer += `${bookingId}${flightText}${labels[seat]}\t${passenger}\t${cents(price)}\n`;
      bookingId++;
      rows++;
    }
    if (buffer.length >= CHUNK_CHARS) {
      yield { text: buffer, rows };
      buffer = '';
      rows = 0;
    }
  }
  if (rows > 0) yield { text: buffer, rows };
}
