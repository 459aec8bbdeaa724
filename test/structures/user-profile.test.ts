import { describe, expect, it } from 'vitest';
import { greatCircleMiles, profileSummary, routeCounts, type TravelRow } from '../../src/structures';

const JFK = { lat: 40.6398, lon: -73.7789 };
const LAX = { lat: 33.9425, lon: -118.4081 };
const trip = (departure: string, from: 'JFK' | 'LAX', airline: string, price: number): TravelRow => {
  const [a, b] = from === 'JFK' ? [JFK, LAX] : [LAX, JFK];
  return {
    departure,
    airline_name: airline,
    dep_iata: from,
    arr_iata: from === 'JFK' ? 'LAX' : 'JFK',
    dep_lat: a.lat,
    dep_lon: a.lon,
    arr_lat: String(b.lat),
    arr_lon: String(b.lon),
    price: String(price),
  };
};

describe('a user profile computed from their flights', () => {
  it('measures JFK to LAX as about 2,470 statute miles, either way round', () => {
    const miles = greatCircleMiles(JFK.lat, JFK.lon, LAX.lat, LAX.lon);
    expect(miles).toBeGreaterThan(2460);
    expect(miles).toBeLessThan(2480);
    expect(greatCircleMiles(LAX.lat, LAX.lon, JFK.lat, JFK.lon)).toBeCloseTo(miles, 6);
  });

  it('counts only flights departed before now towards miles, status and favourite airline', () => {
    const rows = [
      trip('2025-10-01T08:00:00Z', 'JFK', 'Delta Air Lines', 300),
      trip('2025-10-05T08:00:00Z', 'LAX', 'American Airlines', 320.5),
      trip('2025-10-09T08:00:00Z', 'JFK', 'American Airlines', 280),
      trip('2025-12-20T08:00:00Z', 'JFK', 'Delta Air Lines', 400),
      trip('2025-12-21T08:00:00Z', 'JFK', 'Delta Air Lines', 400),
    ];
    const summary = profileSummary(rows, new Date('2025-12-01T09:00:00Z'));
    expect(summary).toMatchObject({
      total_flights: '5',
      flown_flights: '3',
      favorite_airline: 'American Airlines',
      total_spent: '1700.50',
      status: 'Member',
    });
    expect(Number(summary.miles_flown)).toBeCloseTo(3 * 2470, -2);
    expect(routeCounts(rows)).toEqual([
      { route: 'JFK:LAX', flights: 4 },
      { route: 'LAX:JFK', flights: 1 },
    ]);
  });

  it('reaches Silver at ten flown flights', () => {
    const rows = Array.from({ length: 10 }, (_, i) => trip(`2025-10-${10 + i}T08:00:00Z`, 'JFK', 'AA', 1));
    expect(profileSummary(rows, new Date('2025-12-01T00:00:00Z')).status).toBe('Silver');
  });
});
