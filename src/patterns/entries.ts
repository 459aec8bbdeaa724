// Judging what a reader found in Valkey: one place that decides whether a cached entry can be trusted.

import { errorMessage } from '../errors';
import type { Codec } from './codecs';

/** Decides whether a parsed cache entry has the shape the caller expects. */
export type ShapeCheck<T> = (value: unknown) => value is T;

/** An entry that can be used, or why it cannot. */
export type EntryCheck<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The largest entry a reader trusts, in characters of JSON (or bytes of a codec): 1 MiB. */
export const ENTRY_MAX_CHARS = 1024 * 1024;

export interface EntryLimits<T> {
  isValid?: ShapeCheck<T>;
  maxChars?: number;
}

/**
 * Parses a JSON entry. Too long, not JSON, or not of the expected shape: not usable. The size is checked
 * first, so an entry that large is never parsed (reading it back would cost more than the database).
 */
export function parseEntry<T>(text: string, limits: EntryLimits<T> = {}): EntryCheck<T> {
  const tooLong = oversize(text.length, 'characters', limits.maxChars);
  if (tooLong) return tooLong;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: `entry is not valid JSON (${JSON.stringify(text.slice(0, 40))}...)` };
  }
  return shaped(value, limits.isValid);
}

/** Decodes an entry stored with a codec; the same checks as `parseEntry`, on bytes. */
export function decodeEntry<T>(codec: Codec, bytes: Buffer, limits: EntryLimits<T> = {}): EntryCheck<T> {
  const tooLong = oversize(bytes.length, 'bytes', limits.maxChars);
  if (tooLong) return tooLong;
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch {
    return { ok: false, problem: `entry is not valid ${codec.name} (${bytes.length} bytes)` };
  }
  return shaped(value, limits.isValid);
}

/** A value already parsed (a field of an envelope, say) checked against the expected shape. */
export function shaped<T>(value: unknown, isValid?: ShapeCheck<T>): EntryCheck<T> {
  if (isValid && !isValid(value)) return { ok: false, problem: 'entry does not have the expected shape' };
  return { ok: true, value: value as T };
}

function oversize(length: number, unit: string, maxChars = ENTRY_MAX_CHARS): { ok: false; problem: string } | null {
  return length > maxChars ? { ok: false, problem: `entry is ${length} ${unit}, over the ${maxChars} limit` } : null;
}

/** Whether a Valkey error says the key holds another type than the command works on. */
export function isWrongType(error: unknown): boolean {
  return /^WRONGTYPE/.test(errorMessage(error));
}

/** The problem to report for a key of another type: Valkey's own message. */
export function wrongTypeProblem(error: unknown): string {
  return `the key holds another type (${errorMessage(error)})`;
}
