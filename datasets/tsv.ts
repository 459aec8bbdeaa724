// Rows as tab-separated text: the one format both LOAD DATA (default options) and COPY (text format) read.

import type { TextChunk } from '../src/db/engine';

/** A piece of a table's rows, ready to send: whole lines only. */
export type Chunk = TextChunk;

/** About this many characters per chunk: large enough to amortise the per-chunk cost, small enough to stream. */
export const CHUNK_CHARS = 256 * 1024;

/** How both engines spell NULL in this format. */
export const NULL = '\\N';

/** Escapes the four characters that mean something in the format (backslash, tab, newline, carriage return). */
export function text(value: string | null): string {
  if (value === null) return NULL;
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

/** A whole number of cents as a DECIMAL literal (`12345` -> `123.45`), without floating-point formatting. */
export function cents(value: number): string {
  const whole = Math.floor(value / 100);
  const rest = value - whole * 100;
  return `${whole}.${rest < 10 ? '0' : ''}${rest}`;
}

/** A number with one decimal from tenths (`-35` -> `-3.5`). */
export function tenths(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 10)}.${abs % 10}`;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a `YYYY-MM-DD` date (UTC). */
export function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY);
}

/** `YYYY-MM-DD` for a day number. */
export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

const TIMES_OF_DAY: string[] = Array.from({ length: 1440 }, (_, m) => {
  const h = Math.floor(m / 60);
  const mm = m % 60;
  return `${h < 10 ? '0' : ''}${h}:${mm < 10 ? '0' : ''}${mm}:00`;
});

/** `HH:MM:00` for a minute of the day. */
export function timeOfDay(minuteOfDay: number): string {
  return TIMES_OF_DAY[((minuteOfDay % 1440) + 1440) % 1440]!;
}

/**
 * Formats minutes since 1970-01-01 as `YYYY-MM-DD HH:MM:SS`, the way both engines print DATETIME/timestamp.
 * Day strings are cached: the generator writes millions of timestamps over a few hundred days.
 */
export class TimestampFormatter {
  private readonly days = new Map<number, string>();

  format(minutes: number): string {
    const day = Math.floor(minutes / 1440);
    let prefix = this.days.get(day);
    if (prefix === undefined) {
      prefix = `${isoDay(day)} `;
      this.days.set(day, prefix);
    }
    return prefix + TIMES_OF_DAY[minutes - day * 1440]!;
  }
}

/** Minutes since 1970-01-01 for a UTC date and time, e.g. `('2025-12-01', 9 * 60)`. */
export function minutesAt(isoDate: string, minuteOfDay = 0): number {
  return dayNumber(isoDate) * 1440 + minuteOfDay;
}

/** Cuts a stream of lines into chunks of about CHUNK_CHARS. */
export function* chunkLines(lines: Iterable<string>): Generator<Chunk> {
  let buffer = '';
  let rows = 0;
  for (const line of lines) {
    buffer += line;
    rows++;
    if (buffer.length >= CHUNK_CHARS) {
      yield { text: buffer, rows };
      buffer = '';
      rows = 0;
    }
  }
  if (rows > 0) yield { text: buffer, rows };
}
