// How single values read in tables and plans: numbers, NULL, dates, bytes; and HTML escaping.

/** A value as a table cell: its text, and whether it lines up to the right like a number. */
export interface Cell {
  text: string;
  numeric: boolean;
  isNull: boolean;
  /** The whole text, when `text` was cut to fit: a table keeps it where a reader (or the handouts) can find it. */
  whole?: string;
}

export interface CellOptions {
  /** Longer text is cut with `…`, so one JSON column cannot push a table off the page. Default 80. */
  maxChars?: number;
}

/** Numbers from this size up get thousands separators (1,234) — unless they are ids or years. */
const GROUPING_FROM = 1_000;

/** Columns whose numbers are names, not quantities: grouping 12,345 or 2,025 would misread them. */
const IDENTIFIER_COLUMN = /(^|_)(id|no|number|year|code)$|Id$/i;

/** Strings the drivers use for exact numbers (PostgreSQL bigint and numeric, MySQL DECIMAL). */
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

export function formatCell(value: unknown, column = '', options: CellOptions = {}): Cell {
  const maxChars = options.maxChars ?? 80;
  if (value === null || value === undefined)
    return { text: value === null ? 'NULL' : '', numeric: false, isNull: value === null };
  if (typeof value === 'number' || typeof value === 'bigint') {
    return { text: formatNumber(value, IDENTIFIER_COLUMN.test(column)), numeric: true, isNull: false };
  }
  if (typeof value === 'string') return cut(oneLine(value), maxChars, NUMERIC_TEXT.test(value));
  if (value instanceof Date) return { text: formatDate(value), numeric: false, isNull: false };
  if (value instanceof Uint8Array) return { text: `<${value.byteLength} bytes>`, numeric: false, isNull: false };
  if (typeof value === 'boolean') return { text: String(value), numeric: false, isNull: false };
  return cut(oneLine(JSON.stringify(value) ?? String(value)), maxChars, false);
}

function cut(text: string, maxChars: number, numeric: boolean): Cell {
  const shown = truncate(text, maxChars);
  return shown === text ? { text, numeric, isNull: false } : { text: shown, numeric, isNull: false, whole: text };
}

/**
 * 12,345 · 1,234 · 3.14 · 0.0523 · 143.3: integers grouped from 1,000 (ids and years never), fractions to
 * three significant digits below 1, two decimals below 100, one above.
 */
export function formatNumber(value: number | bigint, plain = false): string {
  if (typeof value === 'bigint') return plain || abs(value) < GROUPING_FROM ? value.toString() : group(value);
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value)) return plain || Math.abs(value) < GROUPING_FROM ? String(value) : group(value);
  const size = Math.abs(value);
  const digits: Intl.NumberFormatOptions =
    size < 1 ? { maximumSignificantDigits: 3 } : { maximumFractionDigits: size < 100 ? 2 : 1 };
  return value.toLocaleString('en-US', { ...digits, useGrouping: size >= GROUPING_FROM });
}

/** `2025-12-15` for a date at midnight UTC, else `2025-12-15 08:30:00` (UTC, the lab clock's zone). */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}

function group(value: number | bigint): string {
  return value.toLocaleString('en-US');
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st: how a sentence counts runs. */
export function ordinal(n: number): string {
  const teens = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teens ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${formatNumber(n)}${suffix}`;
}
