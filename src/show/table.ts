// Tables: query rows or a danfojs DataFrame as an HTML table and a text table, cut to a readable length.

import { LabError, errorMessage } from '../errors';
import { present } from './display';
import { escapeHtml, formatCell, type Cell } from './format';

export type TableRow = Record<string, unknown>;

/** What the lab needs of a DataFrame: danfojs's `DataFrame` has both, so no import is needed to show one. */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[])[];
  /** Row labels: 0, 1, 2 … for rows, or names such as `count`, `mean`, `std` from `describe()`. */
  readonly index?: readonly (string | number)[];
}

/**
 * A danfojs DataFrame. The lab types only what it relies on; the rest of danfojs's API
 * (`head`, `describe`, `groupby`, …) is there too, untyped, so the library's types stay its own.
 */
export type DataFrame = DataFrameLike & { readonly shape: number[]; [member: string]: any };

/** Rows of any object type (query rows, `benchTable` rows, your own interfaces) or a DataFrame. */
export type TableData = readonly object[] | DataFrameLike;

export interface TableOptions {
  /** Rows shown at most; the rest are counted in a note. Default 20. */
  maxRows?: number;
  /** A line above the table saying what it shows. */
  caption?: string;
  /** Which columns, in which order (default: every column, in the order the rows have them). */
  columns?: readonly string[];
  /** Longer cell text is cut with `…`. Default 80. */
  maxCellChars?: number;
}

export interface RenderedTable {
  html: string;
  text: string;
  /** Rows in the table, and rows in the data: they differ when the table was cut. */
  shownRows: number;
  totalRows: number;
}

export const DEFAULT_MAX_ROWS = 20;

/** Renders rows (or a DataFrame) as HTML and text: escaped, numbers to the right, NULL spelled out. */
export function renderTable(data: TableData, options: TableOptions = {}): RenderedTable {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new LabError({ what: `maxRows=${maxRows} is not a positive whole number`, fix: 'Use 1 or more, e.g. 20.' });
  }
  const { columns, rows } = tabulate(data, options.columns);
  const shown = rows.slice(0, maxRows);
  const cells = shown.map((row) =>
    row.map((value, i) => formatCell(value, columns[i], { maxChars: options.maxCellChars })),
  );
  const numeric = columns.map(
    (_, i) =>
      cells.some((r) => r[i]!.numeric) && cells.every((r) => r[i]!.numeric || r[i]!.isNull || r[i]!.text === ''),
  );
  const note = rowNote(shown.length, rows.length);
  const table = { columns, cells, numeric, note, caption: options.caption };
  return { html: htmlTable(table), text: textTable(table), shownRows: shown.length, totalRows: rows.length };
}

/** Shows a table in a notebook (HTML); elsewhere prints and returns it as text. */
export function showTable(data: TableData, options: TableOptions = {}): string | undefined {
  const table = renderTable(data, options);
  return present('html', table.html, table.text);
}

/**
 * Rows as a danfojs DataFrame, for grouping and statistics. danfojs (with TensorFlow.js inside) takes
 * about a second and over 100 MB to load, so it is imported here, on first use, and never before.
 */
export async function toDataFrame(rows: readonly object[]): Promise<DataFrame> {
  if (rows.length === 0) {
    throw new LabError({ what: 'Cannot build a DataFrame from no rows', fix: 'Check the query returns rows first.' });
  }
  let danfo: { DataFrame: new (data: unknown) => DataFrame };
  try {
    const loaded = (await import('danfojs-node')) as unknown as {
      DataFrame?: unknown;
      default?: { DataFrame?: unknown };
    };
    danfo = (loaded.DataFrame ? loaded : loaded.default) as typeof danfo;
  } catch (cause) {
    throw new LabError({
      what: `Cannot load danfojs-node (${errorMessage(cause)})`,
      fix: 'Run npm install in the project folder.',
      cause,
    });
  }
  return new danfo.DataFrame(rows.map((row) => ({ ...row })));
}

/** Rows of objects or a DataFrame, as column names and rows of values. */
function tabulate(data: TableData, pick: readonly string[] | undefined): { columns: string[]; rows: unknown[][] } {
  if (isDataFrame(data)) {
    const all = [...data.columns];
    const columns = pick ? [...pick] : all;
    const indexes = columns.map((c) => all.indexOf(c));
    const missing = columns.filter((_, i) => indexes[i] === -1);
    if (missing.length > 0) throw unknownColumns(missing, all);
    const rows = data.values.map((row) => indexes.map((i) => row[i]));
    // Named row labels (a describe() or a groupby result) say what each row is: show them as the first column.
    const labels = data.index ?? [];
    if (labels.some((label, i) => label !== i))
      return { columns: ['', ...columns], rows: rows.map((r, i) => [labels[i], ...r]) };
    return { columns, rows };
  }
  const rows = data as readonly TableRow[];
  const columns = pick ? [...pick] : columnsOf(rows);
  return { columns, rows: rows.map((row) => columns.map((c) => row[c])) };
}

function isDataFrame(data: TableData): data is DataFrameLike {
  return !Array.isArray(data) && typeof data === 'object' && data !== null && 'columns' in data && 'values' in data;
}

/** Every key any row has, in the order first seen (rows from a JOIN or JSON can differ). */
function columnsOf(rows: readonly TableRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

function unknownColumns(missing: string[], all: string[]): LabError {
  return new LabError({
    what: `No column ${missing.map((c) => `"${c}"`).join(', ')} in this table`,
    fix: `Pick from ${all.join(', ')}.`,
  });
}

function rowNote(shown: number, total: number): string | undefined {
  if (total === 0) return 'no rows';
  return shown < total ? `showing ${shown} of ${total.toLocaleString('en-US')} rows` : undefined;
}

interface Laid {
  columns: string[];
  cells: Cell[][];
  numeric: boolean[];
  note: string | undefined;
  caption: string | undefined;
}

const CELL_STYLE = 'padding:2px 8px;';
const NULL_STYLE = 'color:#888;font-style:italic';
const NOTE_STYLE = 'margin:4px 0 0;color:#666;font-size:0.9em';

function htmlTable(t: Laid): string {
  const align = (i: number) => `${CELL_STYLE}text-align:${t.numeric[i] ? 'right' : 'left'}`;
  const head = t.columns.map((c, i) => `<th style="${align(i)}">${escapeHtml(c)}</th>`).join('');
  const body = t.cells
    .map((row) => {
      const tds = row.map((cell, i) => {
        const text = cell.isNull ? `<span style="${NULL_STYLE}">NULL</span>` : escapeHtml(cell.text);
        // A cut cell shows its whole text on hover, and the handouts' index reads it from there.
        const whole = cell.whole === undefined ? '' : ` title="${escapeHtml(cell.whole)}"`;
        return `<td style="${align(i)}"${whole}>${text}</td>`;
      });
      return `<tr>${tds.join('')}</tr>`;
    })
    .join('\n');
  const caption = t.caption
    ? `<caption style="caption-side:top;text-align:left;font-weight:bold;padding-bottom:4px">${escapeHtml(t.caption)}</caption>`
    : '';
  const note = t.note ? `\n<p style="${NOTE_STYLE}">${escapeHtml(t.note)}</p>` : '';
  return (
    `<div class="lab-table">\n<table style="border-collapse:collapse">${caption}\n` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${note}\n</div>`
  );
}

function textTable(t: Laid): string {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.cells.map((row) => row[i]!.text.length)));
  const pad = (text: string, i: number) => (t.numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (texts: string[]) => texts.map(pad).join('  ').trimEnd();
  const lines = [
    ...(t.caption ? [t.caption] : []),
    line(t.columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...t.cells.map((row) => line(row.map((cell) => cell.text))),
    ...(t.note ? [t.note] : []),
  ];
  return lines.join('\n');
}
