// Aircraft models and the airlines' fleets: which airplane flies a schedule, and how many seats it has.

import { Random } from '../random';

export interface AirplaneType {
  typeId: number;
  identifier: string;
  description: string;
  /** IATA equipment code, as OpenFlights routes list it. */
  equipment: string;
  minSeats: number;
  maxSeats: number;
  /** Seat letters across one row, window to window. */
  letters: string;
  rangeKm: number;
}

const t = (
  identifier: string,
  equipment: string,
  minSeats: number,
  maxSeats: number,
  letters: string,
  rangeKm: number,
  description: string,
) => ({ identifier, equipment, minSeats, maxSeats, letters, rangeKm, description });

/** Common airliners with typical two-class seat counts. */
// prettier-ignore
export const AIRPLANE_TYPES: AirplaneType[] = [
  t('ATR 72-600', 'AT7', 68, 78, 'ACDF', 1_500, 'Twin-engine turboprop for short regional hops.'),
  t('De Havilland Dash 8-400', 'DH4', 68, 78, 'ACDF', 2_000, 'Fast regional turboprop.'),
  t('Embraer E175', 'E75', 76, 88, 'ACDF', 3_700, 'Regional jet, four abreast.'),
  t('Bombardier CRJ900', 'CR9', 76, 90, 'ACDF', 2_900, 'Regional jet, four abreast.'),
  t('Airbus A220-300', '223', 130, 150, 'ACDEF', 6_000, 'Narrow-body, five abreast.'),
  t('Airbus A319', '319', 120, 144, 'ABCDEF', 6_900, 'Shortened A320.'),
  t('Airbus A320-200', '320', 150, 180, 'ABCDEF', 6_100, 'The classic narrow-body, six abreast.'),
  t('Airbus A321neo', '32N', 180, 220, 'ABCDEF', 7_400, 'Stretched A320 with new engines.'),
  t('Boeing 737-800', '738', 160, 189, 'ABCDEF', 5_400, 'The most common 737.'),
  t('Boeing 737 MAX 8', '7M8', 162, 178, 'ABCDEF', 6_500, 'Re-engined 737.'),
  t('Boeing 757-200', '752', 176, 200, 'ABCDEF', 7_200, 'Long narrow-body for transcontinental routes.'),
  t('Airbus A330-300', '333', 277, 300, 'ABCDEFGHK', 11_700, 'Wide-body twin.'),
  t('Boeing 787-9', '789', 280, 296, 'ABCDEFGHK', 14_000, 'Composite wide-body twin.'),
  t('Airbus A350-900', '359', 300, 325, 'ABCDEFGHK', 15_000, 'Long-range wide-body twin.'),
  t('Boeing 777-300ER', '77W', 350, 396, 'ABCDEFGHJK', 13_600, 'Large wide-body twin.'),
  t('Airbus A380-800', '388', 480, 550, 'ABCDEFGHJK', 15_200, 'Double-deck wide-body.'),
].map((type, index) => ({ typeId: index + 1, ...type }));

export interface Airplane {
  airplaneId: number;
  capacity: number;
  typeId: number;
  airlineId: number;
}

/** Which models an airline would put on a route of this length, with how much preference. */
function candidateTypes(distanceKm: number): { type: AirplaneType; weight: number }[] {
  const fitting = AIRPLANE_TYPES.filter((type) => type.rangeKm >= distanceKm * 1.1);
  // Beyond every model's comfortable range: the longest-range ones.
  const usable = fitting.length > 0 ? fitting : [...AIRPLANE_TYPES].sort((a, b) => b.rangeKm - a.rangeKm).slice(0, 2);
  return usable.map((type) => {
    const seats = (type.minSeats + type.maxSeats) / 2;
    // Short routes get small airplanes, long routes large ones.
    const ideal = distanceKm < 800 ? 76 : distanceKm < 2_500 ? 150 : distanceKm < 5_000 ? 180 : 300;
    return { type, weight: 1 / (1 + Math.abs(seats - ideal) / 40) ** 2 };
  });
}

/** Each airplane flies this many timetable entries (rotations) before the airline needs another one. */
const SCHEDULES_PER_AIRPLANE = 3;

/** Hands out airplanes to schedules, growing each airline's fleet as its timetable grows. */
export class FleetBuilder {
  readonly airplanes: Airplane[] = [];
  private readonly pools = new Map<string, { airplane: Airplane; uses: number }[]>();

  constructor(private readonly random: Random) {}

  /** An airplane of a fixed model and seat count, for the guide's stories. */
  addAirplane(airlineId: number, typeId: number, capacity: number): Airplane {
    const airplane = { airplaneId: this.airplanes.length + 1, capacity, typeId, airlineId };
    this.airplanes.push(airplane);
    return airplane;
  }

  /** An airplane of `airlineId` suited to a route of `distanceKm`. */
  assign(airlineId: number, distanceKm: number): Airplane {
    const candidates = candidateTypes(distanceKm);
    let total = 0;
    for (const c of candidates) total += c.weight;
    let target = this.random.next() * total;
    let type = candidates[candidates.length - 1]!.type;
    for (const c of candidates) {
      target -= c.weight;
      if (target < 0) {
        type = c.type;
        break;
      }
    }
    const key = `${airlineId}:${type.typeId}`;
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = []));
    const free = pool.find((entry) => entry.uses < SCHEDULES_PER_AIRPLANE);
    if (free) {
      free.uses++;
      return free.airplane;
    }
    const airplane = this.addAirplane(airlineId, type.typeId, this.random.int(type.minSeats, type.maxSeats));
    pool.push({ airplane, uses: 1 });
    return airplane;
  }
}

/** Seat labels (`1A`, `1B`, ... `12F`) for an airplane of `capacity` seats with `letters` across a row. */
export function seatLabels(capacity: number, letters: string): string[] {
  const labels: string[] = [];
  for (let seat = 0; seat < capacity; seat++) {
    labels.push(`${Math.floor(seat / letters.length) + 1}${letters[seat % letters.length]}`);
  }
  return labels;
}
