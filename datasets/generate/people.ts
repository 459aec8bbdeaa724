// People: passengers, their details, and the airport's employees, with names from a small international list.

import type { Reference } from '../reference';
import { Random } from '../random';
import { DEPARTMENTS } from '../schema';
import type { ScaleDefinition } from '../scales';
import { cents, chunkLines, isoDay, dayNumber, text, type Chunk } from '../tsv';
import { FREQUENT_TRAVELLER_ID } from './flights';

// prettier-ignore
const FIRST_NAMES = [
  'Anna', 'Ben', 'Clara', 'David', 'Elena', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Luca', 'Maria',
  'Noah', 'Olga', 'Paul', 'Quentin', 'Rosa', 'Samuel', 'Tara', 'Umar', 'Vera', 'William', 'Xenia', 'Yusuf', 'Zoe',
  'Aiko', 'Bogdan', 'Chen', 'Dalia', 'Emeka', 'Fatima', 'Gustavo', 'Hana', 'Ivan', 'Jia', 'Kwame', 'Leila', 'Mateo',
  'Nadia', 'Omar', 'Priya', 'Rafael', 'Sofia', 'Tomasz', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zainab', 'Amelia', 'Oscar',
  'Isla', 'Liam', 'Mia', 'Ethan', 'Freya', 'Arjun', 'Lucia', 'Kenji',
];

// prettier-ignore
const LAST_NAMES = [
  'Müller', 'Schmidt', 'Garcia', 'Smith', 'Johnson', 'Nguyen', 'Kim', 'Rossi', 'Dubois', 'Novak', 'Kowalski',
  'Silva', 'Santos', 'Ivanova', 'Andersen', 'Larsen', 'Okafor', 'Mensah', 'Haddad', 'Cohen', 'Yilmaz', 'Patel',
  'Sharma', 'Tanaka', 'Sato', 'Wang', 'Li', 'Zhang', 'Chen', 'Park', 'Lopez', 'Martinez', "O'Brien", 'Murphy',
  'Jensen', 'Nielsen', 'Virtanen', 'Horvat', 'Popescu', 'Papadopoulos', 'Fischer', 'Weber', 'Wagner', 'Becker',
  'Hoffmann', 'Moreau', 'Bernard', 'Costa', 'Ferreira', 'Jovanovic', 'Kovacs', 'Nowak', 'Brown', 'Taylor',
  'Wilson', 'Anderson', 'Thomas', 'Moore', 'Clark', 'Lewis',
];

// prettier-ignore
const STREETS = [
  'Main Street', 'Station Road', 'Church Lane', 'Park Avenue', 'Harbour Road', 'Airport Road', 'Mill Lane',
  'Garden Street', 'Lake View', 'High Street', 'Bahnhofstraße', 'Rue de la Paix', 'Calle Mayor', 'Via Roma',
  'Market Square', 'River Walk', 'Hill Crest', 'Oak Drive', 'Elm Street', 'Cedar Court',
];

const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'];

/** Where people live: the cities that have airports (real names), with their countries. */
function homeTowns(reference: Reference): { city: string; country: string }[] {
  return reference.cities.map((c) => ({ city: c.name, country: reference.countries[c.countryId - 1]!.name }));
}

/** Street, town, postcode and country, in the order of the tables' columns (and of the random draws). */
function homeAddress(random: Random, town: { city: string; country: string }): (string | number)[] {
  return [
    text(`${random.pick(STREETS)} ${random.int(1, 250)}`),
    text(town.city),
    random.int(1000, 32000),
    text(town.country),
  ];
}

/** `+49 123 4567890`: country code, area code, number. */
function phoneNumber(random: Random): string {
  return `+${random.int(1, 99)} ${random.int(100, 999)} ${random.int(1_000_000, 9_999_999)}`;
}

/** An email-safe spelling of a name (ASCII letters only). */
function mailName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** A passport number for every passenger id: a letter and eight digits, different for every id below 10^8. */
function passportNumber(id: number): string {
  const digits = (id * 7919 + 104_729) % 100_000_000;
  return `${String.fromCharCode(65 + (id % 26))}${String(digits).padStart(8, '0')}`;
}

function passengerName(seed: number, id: number): { first: string; last: string; random: Random } {
  const random = Random.for(seed, 'passenger', id);
  return { first: random.pick(FIRST_NAMES), last: random.pick(LAST_NAMES), random };
}

/** Passenger ids: 1 to the scale's count, and the guide's passenger 67890 on the scales that stop below it. */
export function passengerIds(scale: ScaleDefinition): number[] {
  const ids = Array.from({ length: scale.passengers }, (_, i) => i + 1);
  if (FREQUENT_TRAVELLER_ID > scale.passengers) ids.push(FREQUENT_TRAVELLER_ID);
  return ids;
}

/** passenger(passenger_id, passportno, firstname, lastname). */
export function passengerChunks(scale: ScaleDefinition, seed: number): Generator<Chunk> {
  return chunkLines(passengerLines(scale, seed));
}

function* passengerLines(scale: ScaleDefinition, seed: number): Generator<string> {
  for (const id of passengerIds(scale)) {
    const { first, last } = passengerName(seed, id);
    yield `${id}\t${passportNumber(id)}\t${first}\t${text(last)}\n`;
  }
}

/** passengerdetails: birth date, address and contact for every passenger (same names as `passenger`). */
export function passengerDetailChunks(reference: Reference, scale: ScaleDefinition, seed: number): Generator<Chunk> {
  return chunkLines(passengerDetailLines(reference, scale, seed));
}

function* passengerDetailLines(reference: Reference, scale: ScaleDefinition, seed: number): Generator<string> {
  const towns = homeTowns(reference);
  const oldest = dayNumber('1940-01-01');
  const youngest = dayNumber('2010-12-31');
  for (const id of passengerIds(scale)) {
    const { first, last, random } = passengerName(seed, id);
    const town = random.pick(towns);
    const line = [
      id,
      isoDay(random.int(oldest, youngest)),
      random.chance(0.5) ? 'f' : 'm',
      ...homeAddress(random, town),
      text(`${mailName(first)}.${mailName(last)}${id}@${random.pick(DOMAINS)}`),
      phoneNumber(random),
    ];
    yield `${line.join('\t')}\n`;
  }
}

/** employee: the airport's staff, with unique user names and a 32-character password hash placeholder. */
export function* employeeChunks(reference: Reference, scale: ScaleDefinition, seed: number): Generator<Chunk> {
  const towns = homeTowns(reference);
  const random = Random.for(seed, 'employees');
  const oldest = dayNumber('1960-01-01');
  const youngest = dayNumber('2004-12-31');
  const lines: string[] = [];
  for (let id = 1; id <= scale.employees; id++) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const town = random.pick(towns);
    const department = random.pick(DEPARTMENTS);
    const salary = random.int(2_400_00, 9_800_00);
    let hash = '';
    for (let i = 0; i < 4; i++) hash += random.nextUint32().toString(16).padStart(8, '0');
    lines.push(
      [
        id,
        first,
        text(last),
        isoDay(random.int(oldest, youngest)),
        random.chance(0.5) ? 'f' : 'm',
        ...homeAddress(random, town),
        text(`${mailName(first)}.${mailName(last)}@airport.example`),
        phoneNumber(random),
        cents(salary),
        department,
        // Unique by the id suffix; 20 characters at most.
        `${mailName(first).slice(0, 8)}${mailName(last).slice(0, 6)}${id}`.slice(0, 20),
        hash,
      ].join('\t') + '\n',
    );
  }
  yield { text: lines.join(''), rows: lines.length };
}
