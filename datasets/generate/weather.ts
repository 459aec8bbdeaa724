// Weather readings at the busiest airports: temperature follows latitude and season, the rest varies around it.

import type { Reference } from '../reference';
import { Random } from '../random';
import { WEATHER_KINDS } from '../schema';
import type { ScaleDefinition } from '../scales';
import { NULL, cents, chunkLines, dayNumber, isoDay, tenths, timeOfDay, type Chunk } from '../tsv';

/** The airports with weather stations: the scale's number of busiest airports. */
export function weatherStations(reference: Reference, scale: ScaleDefinition): number[] {
  return reference.airports
    .filter((a) => a.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.airportId - b.airportId)
    .slice(0, scale.weatherStations)
    .map((a) => a.airportId);
}

export function weatherRows(reference: Reference, scale: ScaleDefinition): number {
  const days = dayNumber(scale.lastDay) - dayNumber(scale.firstDay) + 1;
  return days * (24 / scale.weatherEveryHours) * weatherStations(reference, scale).length;
}

/** weatherdata(log_date, time, station, temp, humidity, airpressure, wind, weather, winddirection). */
export function weatherChunks(reference: Reference, scale: ScaleDefinition, seed: number): Generator<Chunk> {
  return chunkLines(weatherLines(reference, scale, seed));
}

function* weatherLines(reference: Reference, scale: ScaleDefinition, seed: number): Generator<string> {
  const random = Random.for(seed, 'weather');
  const stations = weatherStations(reference, scale).map((id) => reference.airports[id - 1]!);
  for (let day = dayNumber(scale.firstDay); day <= dayNumber(scale.lastDay); day++) {
    const date = isoDay(day);
    // Day of the year as an angle, coldest in mid-January in the north.
    const season = Math.cos(((day - dayNumber('2025-01-15')) / 365.25) * 2 * Math.PI);
    for (let hour = 0; hour < 24; hour += scale.weatherEveryHours) {
      for (const station of stations) {
        const north = station.latitude >= 0 ? 1 : -1;
        const mean =
          27 - 0.45 * Math.abs(station.latitude) - 9 * season * north * Math.min(1, Math.abs(station.latitude) / 30);
        const daily = -3 * Math.cos(((hour - 3) / 24) * 2 * Math.PI);
        const temp = Math.round((mean + daily + random.normal(0, 6)) * 10);
        const humidity = Math.round(Math.min(100, Math.max(15, random.normal(70, 40))) * 10);
        const pressure = Math.round(random.normal(1013, 30) * 100);
        const wind = Math.round(Math.max(0, random.normal(14, 20)) * 100);
        const wet = random.chance(0.3);
        const weather = wet ? WEATHER_KINDS[temp < 10 ? random.int(0, 8) : random.pick([2, 4, 5, 6, 7, 8])]! : NULL;
        yield `${date}\t${timeOfDay(hour * 60)}\t${station.airportId}\t${tenths(Math.max(-999, Math.min(999, temp)))}\t${tenths(humidity)}\t${cents(pressure)}\t${cents(wind)}\t${weather}\t${random.int(0, 359)}\n`;
      }
    }
  }
}
